// Package imageprep turns JPEG and PNG files into image-classifier input
// tensors the way torchvision's evaluation transform does on PIL images:
//
//	img = Image.open(path).convert("RGB")          # torchvision's pil_loader
//	T.Compose([T.Resize(256), T.CenterCrop(224),   # PIL BILINEAR, antialiased
//	           T.ToTensor(), T.Normalize(mean, std)])(img)
//
// The resize reproduces Pillow's fixed-point resampling (Resample.c) bit for
// bit, so for PNG input (lossless decoding) the tensor equals torchvision's
// exactly. JPEG is decoded, with the ort build tag (cgo), by libjpeg-turbo
// as Pillow decodes it, so the tensor is exact too; without the tag (pure
// Go) by image/jpeg, whose IDCT rounds differently from libjpeg-turbo's
// (chroma upsampling and YCbCr->RGB conversion follow libjpeg-turbo): see
// JPEGDecoder and the tests for the measured tolerance.
//
// Tensors are float32, one image per slice, in NCHW order (C,H,W for a
// single image) or NHWC (H,W,C).
package imageprep

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// Config describes the preprocessing. The zero value of a field means "not
// used" (no resize, no crop) except Scale (0 = 1/255) and Layout ("" = NCHW).
type Config struct {
	Resize int // resize so that the shorter side is Resize (torchvision Resize(int)); 0 = no resize
	Crop   int // square center crop; 0 = none

	// Non-square center crop (height, width); when both are set they
	// override Crop. Setting only one of them is an error.
	CropH, CropW int

	Mean, Std [3]float32 // per channel; only [0] is used when Gray
	Scale     float32    // multiplies the 0..255 samples before Normalize; 0 means 1/255 (ToTensor)
	Gray      bool       // one channel: PIL's convert("L") (ITU-R 601-2 luma) before resizing
	Layout    string     // "NCHW" (default) or "NHWC"
}

// MaxPixels bounds the images Load accepts: a file whose header claims more
// pixels (width x height), or a configuration whose output would be larger,
// is refused before anything is decoded.
const MaxPixels = 100_000_000

// maxSide bounds Resize and the crop sizes.
const maxSide = 1 << 16

var (
	// ErrFormat: the file is neither JPEG nor PNG.
	ErrFormat = errors.New("unsupported image format (want JPEG or PNG)")
	// ErrTooLarge: the image (or the output it would give) exceeds MaxPixels.
	ErrTooLarge = errors.New("image too large")
)

var (
	imagenetMean = [3]float32{0.485, 0.456, 0.406}
	imagenetStd  = [3]float32{0.229, 0.224, 0.225}
)

// presets in the order Presets lists them.
var presets = []struct {
	name string
	cfg  Config
}{
	// torchvision's ImageNet evaluation transform (ResNet, VGG, MobileNet, ... weights).
	{"imagenet", Config{Resize: 256, Crop: 224, Mean: imagenetMean, Std: imagenetStd, Scale: 1.0 / 255, Layout: "NCHW"}},
	// Inception_V3_Weights.IMAGENET1K_V1.transforms(): ImageClassification(crop_size=299, resize_size=342).
	{"inception", Config{Resize: 342, Crop: 299, Mean: imagenetMean, Std: imagenetStd, Scale: 1.0 / 255, Layout: "NCHW"}},
	// imagenet geometry, values in [0,1] without normalisation.
	{"none", Config{Resize: 256, Crop: 224, Mean: [3]float32{0, 0, 0}, Std: [3]float32{1, 1, 1}, Scale: 1.0 / 255, Layout: "NCHW"}},
	// one channel (T.Grayscale(1) first); mean/std are the averages of the ImageNet ones.
	{"gray", Config{Resize: 256, Crop: 224, Mean: [3]float32{0.449, 0.449, 0.449}, Std: [3]float32{0.226, 0.226, 0.226}, Scale: 1.0 / 255, Gray: true, Layout: "NCHW"}},
	// imagenet in NHWC (TensorFlow/Keras-style exports).
	{"nhwc", Config{Resize: 256, Crop: 224, Mean: imagenetMean, Std: imagenetStd, Scale: 1.0 / 255, Layout: "NHWC"}},
}

// Presets lists the preset names, the default ("imagenet") first.
func Presets() []string {
	names := make([]string, len(presets))
	for i, p := range presets {
		names[i] = p.name
	}
	return names
}

// Preset returns a named configuration (see Presets); "" is "imagenet".
// Fields of the result can be overridden freely.
func Preset(name string) (Config, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		n = "imagenet"
	}
	for _, p := range presets {
		if p.name == n {
			return p.cfg, nil
		}
	}
	return Config{}, fmt.Errorf("imageprep: unknown preset %q (have %s)", name, strings.Join(Presets(), ", "))
}

// channels is 1 for Gray, else 3.
func (c Config) channels() int {
	if c.Gray {
		return 1
	}
	return 3
}

func (c Config) cropSize() (h, w int) {
	if c.CropH > 0 && c.CropW > 0 {
		return c.CropH, c.CropW
	}
	return c.Crop, c.Crop
}

func (c Config) nhwc() bool { return strings.EqualFold(c.Layout, "NHWC") }

// Shape is the shape of one output image (channels, height, width); height
// and width are 0 when they depend on the image (no crop).
func (c Config) Shape() (channels, height, width int) {
	h, w := c.cropSize()
	return c.channels(), h, w
}

// Validate reports what makes c unusable.
func (c Config) Validate() error {
	bad := func(f string, a ...any) error { return fmt.Errorf("imageprep: "+f, a...) }
	switch {
	case c.Resize < 0 || c.Resize > maxSide:
		return bad("resize %d out of range [0, %d]", c.Resize, maxSide)
	case c.Crop < 0 || c.Crop > maxSide || c.CropH < 0 || c.CropH > maxSide || c.CropW < 0 || c.CropW > maxSide:
		return bad("crop %d / %dx%d out of range [0, %d]", c.Crop, c.CropH, c.CropW, maxSide)
	case (c.CropH > 0) != (c.CropW > 0):
		return bad("crop height and width must be set together (got %dx%d)", c.CropH, c.CropW)
	case !finite(c.Scale) || c.Scale < 0:
		return bad("scale %v must be a finite number >= 0", c.Scale)
	}
	l := strings.ToUpper(c.Layout)
	if l != "" && l != "NCHW" && l != "NHWC" {
		return bad("layout %q: want NCHW or NHWC", c.Layout)
	}
	for i := range c.channels() {
		if !finite(c.Mean[i]) {
			return bad("mean[%d] = %v is not finite", i, c.Mean[i])
		}
		if !finite(c.Std[i]) || c.Std[i] == 0 {
			return bad("std[%d] = %v must be finite and non-zero", i, c.Std[i])
		}
	}
	return nil
}

func finite(f float32) bool { return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0) }

// geometry: the size the image is resized to, the output size, and where the
// output's top-left corner lies in the resized image (negative = zero padding).
type geometry struct {
	rw, rh    int // after resizing
	ow, oh    int // output
	left, top int
}

func (c Config) geometry(w, h int) geometry {
	g := geometry{rw: w, rh: h}
	if c.Resize > 0 && w > 0 && h > 0 {
		g.rw, g.rh = resizedSize(w, h, c.Resize)
	}
	g.oh, g.ow = c.cropSize()
	if g.oh == 0 {
		g.oh, g.ow = g.rh, g.rw
	} else {
		g.top, g.left = cropOffset(g.rh, g.oh), cropOffset(g.rw, g.ow)
	}
	return g
}

// FromImage preprocesses a decoded image. Its colours are read as PIL would
// read the file the image came from (see Load). It panics if c is not valid
// (see Validate); it does not bound the image size (Load does).
func (c Config) FromImage(img image.Image) []float32 {
	if err := c.Validate(); err != nil {
		panic(err)
	}
	p := toRGB(img)
	if c.Gray {
		p = toGray(p)
	}
	return c.fromPlane(p)
}

func (c Config) fromPlane(p plane) []float32 {
	win, g := c.window(p)
	return c.tensor(win, g)
}

// window resizes and crops p: it returns the part of the output that lies
// inside the resized image (all of it unless the crop needs zero padding).
func (c Config) window(p plane) (plane, geometry) {
	g := c.geometry(p.w, p.h)
	x0, x1 := max(g.left, 0), min(g.left+g.ow, g.rw)
	y0, y1 := max(g.top, 0), min(g.top+g.oh, g.rh)
	return resizeWindow(p, g.rw, g.rh, x0, x1, y0, y1), g
}

// tensor normalises the window into the output layout, padding with the
// value of a 0 sample where the crop is larger than the resized image.
func (c Config) tensor(win plane, g geometry) []float32 {
	nc := win.c
	luts := c.luts()
	out := make([]float32, nc*g.oh*g.ow)
	hw := g.oh * g.ow
	nhwc := c.nhwc()
	if win.w < g.ow || win.h < g.oh {
		for ch := range nc {
			v := luts[ch][0]
			for i := range hw {
				if nhwc {
					out[i*nc+ch] = v
				} else {
					out[ch*hw+i] = v
				}
			}
		}
	}
	oy0, ox := max(-g.top, 0), max(-g.left, 0) // window position in the output
	for y := 0; y < win.h; y++ {
		src := win.pix[y*win.w*nc : (y+1)*win.w*nc]
		oy := oy0 + y
		if nhwc {
			dst := out[(oy*g.ow+ox)*nc : (oy*g.ow+ox+win.w)*nc]
			for i, v := range src {
				dst[i] = luts[i%nc][v]
			}
			continue
		}
		for ch := range nc {
			lut := &luts[ch]
			dst := out[ch*hw+oy*g.ow+ox : ch*hw+oy*g.ow+ox+win.w]
			for x := range dst {
				dst[x] = lut[src[x*nc+ch]]
			}
		}
	}
	return out
}

// luts maps each 8-bit sample to its output value per channel, computed in
// float32 the way torchvision does: ToTensor (x/255, or x*Scale), then
// Normalize ((x - mean) / std).
func (c Config) luts() [3][256]float32 {
	var l [3][256]float32
	div := c.Scale == 0 || c.Scale == float32(1.0/255)
	for ch := range c.channels() {
		m, s := c.Mean[ch], c.Std[ch]
		for v := range 256 {
			var x float32
			if div {
				x = float32(v) / 255
			} else {
				x = float32(float32(v) * c.Scale)
			}
			l[ch][v] = float32(float32(x-m) / s)
		}
	}
	return l
}

// Load decodes one JPEG or PNG file and preprocesses it. Errors name the
// file; ErrFormat and ErrTooLarge can be tested with errors.Is. Images whose
// header claims more than MaxPixels are refused before decoding.
func (c Config) Load(path string) ([]float32, error) {
	p, err := c.loadPlane(path)
	if err != nil {
		return nil, err
	}
	return c.fromPlane(p), nil
}

// loadPlane decodes path to 8-bit RGB (or L when c.Gray).
func (c Config) loadPlane(path string) (p plane, err error) {
	if err := c.Validate(); err != nil {
		return plane{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return plane{}, fmt.Errorf("imageprep: %w", err)
	}
	defer f.Close()
	defer func() { // a decoder bug must not take the whole batch down
		if r := recover(); r != nil {
			err = fmt.Errorf("imageprep: %s: decoder panic: %v", path, r)
		}
	}()
	fail := func(err error) error { return fmt.Errorf("imageprep: %s: %w", path, err) }
	br := bufio.NewReader(f)
	head, _ := br.Peek(12)
	switch {
	case bytes.HasPrefix(head, []byte("\xff\xd8")):
		p, err = c.decodeJPEG(f, br)
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		var img image.Image
		if img, err = c.decodeStd(f, br, "PNG", png.DecodeConfig, png.Decode); err == nil {
			p = toRGB(img)
		}
	case len(head) == 0:
		err = fmt.Errorf("empty file: %w", ErrFormat)
	default:
		err = ErrFormat
		if what := sniffOther(head); what != "" {
			err = fmt.Errorf("%s file: %w", what, ErrFormat)
		}
	}
	if err != nil {
		return plane{}, fail(err)
	}
	if c.Gray {
		p = toGray(p)
	}
	return p, nil
}

// decodeStd decodes with a Go image package after checking the header's
// size (checkSize); br reads f from its start.
func (c Config) decodeStd(f io.ReadSeeker, br *bufio.Reader, format string,
	decodeConfig func(io.Reader) (image.Config, error), decode func(io.Reader) (image.Image, error)) (image.Image, error) {
	cfg, err := decodeConfig(br)
	if err != nil {
		return nil, fmt.Errorf("reading %s header: %w", format, err)
	}
	if err := c.checkSize(format, cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, err := decode(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", format, err)
	}
	return img, nil
}

// checkSize refuses, before anything is allocated for the pixels, an image
// whose header claims no pixels or more than MaxPixels, or whose resized or
// output size would be too large.
func (c Config) checkSize(format string, w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%s header claims %dx%d pixels", format, w, h)
	}
	if px := int64(w) * int64(h); px > MaxPixels {
		return fmt.Errorf("%s header claims %dx%d pixels (%.1f megapixels), over the %d megapixel limit: %w",
			format, w, h, float64(px)/1e6, MaxPixels/1_000_000, ErrTooLarge)
	}
	if c.Resize > 0 {
		long, short := max(w, h), min(w, h)
		if float64(c.Resize)*float64(long)/float64(short) > 1<<30 {
			return fmt.Errorf("resizing %dx%d to a shorter side of %d gives a longer side over 2^30: %w",
				w, h, c.Resize, ErrTooLarge)
		}
	}
	if g := c.geometry(w, h); int64(g.ow)*int64(g.oh) > MaxPixels {
		return fmt.Errorf("output %dx%d is over the %d megapixel limit (set a crop): %w",
			g.ow, g.oh, MaxPixels/1_000_000, ErrTooLarge)
	}
	return nil
}

// sniffOther names a few image formats that are not supported.
func sniffOther(h []byte) string {
	switch {
	case bytes.HasPrefix(h, []byte("GIF8")):
		return "GIF"
	case bytes.HasPrefix(h, []byte("BM")):
		return "BMP"
	case len(h) >= 12 && bytes.HasPrefix(h, []byte("RIFF")) && string(h[8:12]) == "WEBP":
		return "WebP"
	case bytes.HasPrefix(h, []byte("II*\x00")) || bytes.HasPrefix(h, []byte("MM\x00*")):
		return "TIFF"
	case len(h) >= 12 && string(h[4:8]) == "ftyp":
		return "HEIF/AVIF"
	}
	return ""
}

// LoadBatch loads paths with up to workers goroutines (<= 0: GOMAXPROCS).
// out[i] and errs[i] belong to paths[i]; a file that fails gets a nil
// tensor and an error naming it, and the others are still loaded.
func (c Config) LoadBatch(paths []string, workers int) ([][]float32, []error) {
	out := make([][]float32, len(paths))
	errs := make([]error, len(paths))
	if err := c.Validate(); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return out, errs
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(paths))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(paths) {
					return
				}
				out[i], errs[i] = c.Load(paths[i])
			}
		}()
	}
	wg.Wait()
	return out, errs
}
