//go:build ort && !noturbojpeg

package imageprep

// Each helper makes its own handle and copies the error text before it
// returns: TurboJPEG 2.1 keeps libjpeg's messages in a thread-local buffer,
// and a goroutine may move to another thread between two cgo calls.

/*
#cgo LDFLAGS: -lturbojpeg
#include <string.h>
#include <turbojpeg.h>

static void ns_msg(tjhandle h, char *msg, int n) {
	strncpy(msg, tjGetErrorStr2(h), n - 1);
	msg[n - 1] = 0;
}

// ns_header: 0 ok, -1 error (msg set). w, h and cs are set whenever the
// header was read, even when TurboJPEG then refuses its subsampling.
static int ns_header(const unsigned char *buf, unsigned long size, int *w, int *h, int *cs, char *msg, int n) {
	int subsamp, rc;
	tjhandle t = tjInitDecompress();
	if (!t) {
		ns_msg(NULL, msg, n);
		return -1;
	}
	rc = tjDecompressHeader3(t, buf, size, w, h, &subsamp, cs);
	if (rc) ns_msg(t, msg, n);
	tjDestroy(t);
	return rc;
}

// ns_decode: 0 ok, 1 decoded with a warning (msg = the first one), -1 error.
static int ns_decode(const unsigned char *buf, unsigned long size, unsigned char *out, int w, int pitch, int h,
		int pf, int flags, char *msg, int n) {
	int rc;
	tjhandle t = tjInitDecompress();
	if (!t) {
		ns_msg(NULL, msg, n);
		return -1;
	}
	rc = tjDecompress2(t, buf, size, out, w, pitch, h, pf, flags);
	if (rc) {
		ns_msg(t, msg, n);
		rc = tjGetErrorCode(t) == TJERR_WARNING ? 1 : -1;
	}
	tjDestroy(t);
	return rc;
}
*/
import "C"

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unsafe"
)

// JPEGDecoder names the JPEG decoder of this build: libjpeg-turbo through
// its TurboJPEG API, with the settings PIL uses (islow IDCT, fancy
// upsampling), so decoded samples are PIL's exactly.
const JPEGDecoder = "libjpeg-turbo"

// exactJPEG reports whether JPEG decoding is bit-exact with PIL's.
const exactJPEG = true

// maxJPEGBytes bounds the size of a JPEG file read into memory: 3 bytes per
// pixel of the largest image accepted, far more than any real JPEG of that
// size needs.
const maxJPEGBytes = 3 * MaxPixels

// decodeJPEG reads the whole file (size-limited) and decodes it with
// libjpeg-turbo. br is unused: the file is read from its start.
func (c Config) decodeJPEG(f io.ReadSeeker, _ *bufio.Reader) (plane, error) {
	n, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return plane{}, err
	}
	if n > maxJPEGBytes {
		return plane{}, fmt.Errorf("JPEG file of %d bytes, over the %d MB limit: %w", n, maxJPEGBytes/1_000_000, ErrTooLarge)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return plane{}, err
	}
	// one spare byte so that a file that grew meanwhile is noticed
	data := make([]byte, n+1)
	m, err := io.ReadFull(f, data)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return plane{}, err
	}
	if int64(m) != n {
		return plane{}, fmt.Errorf("file changed size while being read (%d bytes, then %d)", n, m)
	}
	return c.decodeJPEGBytes(data[:m])
}

// decodeJPEGBytes decodes a JPEG in memory the way PIL's JpegImagePlugin
// and Image.convert("RGB") do: one component is gray (L), three are decoded
// to RGB by libjpeg (YCbCr or RGB), four are CMYK (YCCK converted by
// libjpeg), inverted as PIL assumes Adobe's convention ("CMYK;I"), then
// converted with Pillow's cmyk2rgb.
func (c Config) decodeJPEGBytes(data []byte) (plane, error) {
	if len(data) == 0 {
		return plane{}, errors.New("empty JPEG")
	}
	var msgBuf [256]C.char
	msg := func() string { return strings.TrimSpace(C.GoString(&msgBuf[0])) }
	src := (*C.uchar)(unsafe.Pointer(&data[0]))
	size := C.ulong(len(data))
	w, ht, cs := C.int(-1), C.int(-1), C.int(-1)
	if C.ns_header(src, size, &w, &ht, &cs, &msgBuf[0], C.int(len(msgBuf))) != 0 {
		// TurboJPEG names only the usual chroma subsamplings and refuses
		// the others (3x1, or Cb and Cr sampled differently) after reading
		// the whole header; libjpeg (and PIL) decode them.
		if !strings.Contains(msg(), "Could not determine subsampling") || w <= 0 || ht <= 0 || cs < 0 {
			return plane{}, fmt.Errorf("reading JPEG: %s", msg())
		}
	}
	if err := c.checkSize("JPEG", int(w), int(ht)); err != nil {
		return plane{}, err
	}
	var pf C.int
	var nc int
	switch cs {
	case C.TJCS_GRAY:
		pf, nc = C.TJPF_GRAY, 1
	case C.TJCS_RGB, C.TJCS_YCbCr:
		pf, nc = C.TJPF_RGB, 3
	case C.TJCS_CMYK, C.TJCS_YCCK:
		pf, nc = C.TJPF_CMYK, 4
	default:
		return plane{}, fmt.Errorf("JPEG colour space %d is not supported", int(cs))
	}
	pix := make([]uint8, int(w)*int(ht)*nc)
	// islow IDCT and fancy upsampling are libjpeg's defaults and PIL's;
	// LIMITSCANS refuses progressive files with absurdly many scans.
	flags := C.int(C.TJFLAG_ACCURATEDCT | C.TJFLAG_LIMITSCANS)
	switch C.ns_decode(src, size, (*C.uchar)(unsafe.Pointer(&pix[0])), w, C.int(int(w)*nc), ht, pf, flags,
		&msgBuf[0], C.int(len(msgBuf))) {
	case -1:
		return plane{}, fmt.Errorf("decoding JPEG: %s", msg())
	case 1:
		// PIL ignores libjpeg's warnings (corrupt data is decoded as
		// libjpeg decodes it) except running out of data, which its
		// ImageFile.load reports as a truncated file. Only the first
		// warning's text is kept, so a missing end of image is also
		// looked for in the data.
		if strings.Contains(msg(), "Premature end of JPEG file") || !endsScans(data) {
			return plane{}, fmt.Errorf("decoding JPEG: file is truncated (%s)", msg())
		}
	}
	p := plane{w: int(w), h: int(ht), c: nc, pix: pix}
	switch nc {
	case 1:
		if !c.Gray {
			p = grayToRGB(p)
		}
	case 4:
		p = cmykPlaneToRGB(p)
	}
	return p, nil
}

// endsScans reports whether an end-of-image marker follows the last
// start-of-scan marker (neither byte pair can occur inside entropy-coded
// data, where 0xff is always followed by 0 or a restart marker).
func endsScans(data []byte) bool {
	sos := bytes.LastIndex(data, []byte{0xff, 0xda})
	return sos >= 0 && bytes.Contains(data[sos:], []byte{0xff, 0xd9})
}

// grayToRGB replicates a one-channel plane into three.
func grayToRGB(g plane) plane {
	p := plane{w: g.w, h: g.h, c: 3, pix: make([]uint8, 3*len(g.pix))}
	for i, v := range g.pix {
		p.pix[3*i], p.pix[3*i+1], p.pix[3*i+2] = v, v, v
	}
	return p
}

// cmykPlaneToRGB inverts libjpeg's CMYK (PIL's "CMYK;I" raw mode) and
// converts it with Pillow's cmyk2rgb.
func cmykPlaneToRGB(q plane) plane {
	p := plane{w: q.w, h: q.h, c: 3, pix: make([]uint8, 3*q.w*q.h)}
	for i := range q.w * q.h {
		s := q.pix[4*i : 4*i+4]
		p.pix[3*i], p.pix[3*i+1], p.pix[3*i+2] = cmykToRGB(^s[0], ^s[1], ^s[2], ^s[3])
	}
	return p
}
