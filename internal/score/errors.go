package score

import "errors"

// RequestError is a problem with the request itself — a usage error on a
// command line, a bad request to a server — as opposed to a model that
// cannot be analysed or scored.
type RequestError struct{ Err error }

func (e *RequestError) Error() string { return e.Err.Error() }
func (e *RequestError) Unwrap() error { return e.Err }

func badRequest(err error) error { return &RequestError{err} }

// IsRequestError reports whether err is the request's fault.
func IsRequestError(err error) bool {
	var re *RequestError
	return errors.As(err, &re)
}
