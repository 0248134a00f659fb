//go:build !ort || noturbojpeg

package imageprep

import (
	"bufio"
	"image/jpeg"
	"io"
)

// JPEGDecoder names the JPEG decoder of this build: Go's image/jpeg, whose
// inverse DCT rounds differently from libjpeg-turbo's (PIL's), so decoded
// samples differ from PIL's by 1-3 levels on a few percent of them. The ort
// build decodes with libjpeg-turbo and is exact, unless it is also tagged
// noturbojpeg: the cross-built arm64 worker (scripts/build-arm64-worker.sh)
// is, so that it links no arm64 libturbojpeg, and decodes with image/jpeg.
const JPEGDecoder = "image/jpeg"

// exactJPEG reports whether JPEG decoding is bit-exact with PIL's.
const exactJPEG = false

// decodeJPEG decodes with image/jpeg; chroma upsampling and YCbCr->RGB
// follow libjpeg-turbo (toRGB). br reads f from its start.
func (c Config) decodeJPEG(f io.ReadSeeker, br *bufio.Reader) (plane, error) {
	img, err := c.decodeStd(f, br, "JPEG", jpeg.DecodeConfig, jpeg.Decode)
	if err != nil {
		return plane{}, err
	}
	return toRGB(img), nil
}
