// Package request marks errors that are a job's request's own fault — a bad
// setting, an accuracy out of range, a shape that does not fit the model —
// as opposed to a model that cannot be read, analysed or run. Front ends
// map them: the CLI exits 2, a server answers 400 (422 for the others).
package request

import (
	"errors"
	"fmt"
)

// Error is a problem with the request itself.
type Error struct{ Err error }

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Wrap marks err as the request's fault; nil stays nil.
func Wrap(err error) error {
	if err == nil {
		return nil
	}
	return &Error{err}
}

// Errorf is fmt.Errorf, marked as the request's fault.
func Errorf(format string, a ...any) error { return &Error{fmt.Errorf(format, a...)} }

// Is reports whether err is the request's fault.
func Is(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
