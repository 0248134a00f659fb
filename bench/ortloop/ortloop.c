// ortloop: the reference for `netscore bench`'s harness overhead. It drives
// ONNX Runtime's C API directly and times Run in a tight loop, doing what
// netscore bench does and nothing more: same library, same session options
// (intra-op threads only), free dims set to 1, random float inputs created
// once, outputs allocated by ORT on the first run and reused after.
//
//   ortloop LIB MODEL THREADS WARMUP RUNS [binding]
//
// With "binding", the timed loop calls RunWithBinding on an OrtIoBinding
// that holds the inputs and outputs, which is what netscore bench does once
// the output shapes are known; without it, plain Run, as most C callers do.
//
// prints one line: runs=N p50_ms=... mean_ms=... min_ms=... p90_ms=... p99_ms=... max_ms=...
// Build (bench/ort.sh does it): the C API header comes with onnxruntime_go,
//   H=$(go env GOMODCACHE)/github.com/yalue/onnxruntime_go@v1.27.0
//   gcc -O2 -I$H -o bench/out/ortloop bench/ortloop/ortloop.c -ldl -lm
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "onnxruntime_c_api.h"

static const OrtApi *api;

static void check(OrtStatus *st, const char *what) {
  if (st) {
    fprintf(stderr, "ortloop: %s: %s\n", what, api->GetErrorMessage(st));
    api->ReleaseStatus(st);
    exit(1);
  }
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

// percentile interpolates between order statistics, as netscore does.
static double percentile(const double *v, int n, double p) {
  double pos = p / 100 * (n - 1);
  int lo = (int)floor(pos), hi = lo + 1 < n ? lo + 1 : n - 1;
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

int main(int argc, char **argv) {
  if (argc != 6 && !(argc == 7 && strcmp(argv[6], "binding") == 0)) {
    fprintf(stderr, "usage: ortloop LIB MODEL THREADS WARMUP RUNS [binding]\n");
    return 2;
  }
  int binding = argc == 7;
  const char *lib = argv[1], *model = argv[2];
  int threads = atoi(argv[3]), warmup = atoi(argv[4]), runs = atoi(argv[5]);
  if (runs < 1) {
    fprintf(stderr, "ortloop: RUNS must be >= 1\n");
    return 2;
  }

  void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "ortloop: %s\n", dlerror());
    return 1;
  }
  const OrtApiBase *(*get_base)(void) = (const OrtApiBase *(*)(void))dlsym(h, "OrtGetApiBase");
  if (!get_base || !(api = get_base()->GetApi(ORT_API_VERSION))) {
    fprintf(stderr, "ortloop: %s does not provide ORT C API %d\n", lib, ORT_API_VERSION);
    return 1;
  }

  OrtEnv *env;
  check(api->CreateEnv(ORT_LOGGING_LEVEL_ERROR, "ortloop", &env), "CreateEnv");
  OrtSessionOptions *so;
  check(api->CreateSessionOptions(&so), "CreateSessionOptions");
  if (threads > 0) check(api->SetIntraOpNumThreads(so, threads), "SetIntraOpNumThreads");
  OrtSession *sess;
  double t0 = now_ms();
  check(api->CreateSession(env, model, so, &sess), "CreateSession");
  double create_ms = now_ms() - t0;

  OrtAllocator *alloc;
  check(api->GetAllocatorWithDefaultOptions(&alloc), "GetAllocatorWithDefaultOptions");
  OrtMemoryInfo *mem;
  check(api->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &mem), "CreateCpuMemoryInfo");

  size_t nin, nout;
  check(api->SessionGetInputCount(sess, &nin), "SessionGetInputCount");
  check(api->SessionGetOutputCount(sess, &nout), "SessionGetOutputCount");
  char **in_names = calloc(nin, sizeof *in_names), **out_names = calloc(nout, sizeof *out_names);
  OrtValue **ins = calloc(nin, sizeof *ins), **outs = calloc(nout, sizeof *outs);
  srand(1);
  for (size_t i = 0; i < nin; i++) {
    check(api->SessionGetInputName(sess, i, alloc, &in_names[i]), "SessionGetInputName");
    OrtTypeInfo *ti;
    check(api->SessionGetInputTypeInfo(sess, i, &ti), "SessionGetInputTypeInfo");
    const OrtTensorTypeAndShapeInfo *tsi;
    check(api->CastTypeInfoToTensorInfo(ti, &tsi), "CastTypeInfoToTensorInfo");
    ONNXTensorElementDataType dt;
    check(api->GetTensorElementType(tsi, &dt), "GetTensorElementType");
    size_t rank;
    check(api->GetDimensionsCount(tsi, &rank), "GetDimensionsCount");
    int64_t dims[64];
    check(api->GetDimensions(tsi, dims, rank), "GetDimensions");
    size_t n = 1;
    for (size_t d = 0; d < rank; d++) {
      if (dims[d] < 0) dims[d] = 1; // free dims: batch 1, like netscore bench's default
      n *= (size_t)dims[d];
    }
    if (dt != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
      fprintf(stderr, "ortloop: input %s is not float32\n", in_names[i]);
      return 1;
    }
    float *data = malloc(n * sizeof *data);
    for (size_t k = 0; k < n; k++) data[k] = (float)rand() / ((float)RAND_MAX + 1);
    check(api->CreateTensorWithDataAsOrtValue(mem, data, n * sizeof *data, dims, rank, dt, &ins[i]),
          "CreateTensorWithDataAsOrtValue");
    api->ReleaseTypeInfo(ti);
  }
  for (size_t i = 0; i < nout; i++) {
    check(api->SessionGetOutputName(sess, i, alloc, &out_names[i]), "SessionGetOutputName");
  }

  // First run: ORT allocates the outputs; later runs write into them.
  check(api->Run(sess, NULL, (const char *const *)in_names, (const OrtValue *const *)ins, nin,
                 (const char *const *)out_names, nout, outs),
        "Run");
  for (int i = 1; i < warmup; i++) {
    check(api->Run(sess, NULL, (const char *const *)in_names, (const OrtValue *const *)ins, nin,
                   (const char *const *)out_names, nout, outs),
          "Run");
  }

  OrtIoBinding *io = NULL;
  if (binding) {
    check(api->CreateIoBinding(sess, &io), "CreateIoBinding");
    for (size_t i = 0; i < nin; i++) check(api->BindInput(io, in_names[i], ins[i]), "BindInput");
    for (size_t i = 0; i < nout; i++) check(api->BindOutput(io, out_names[i], outs[i]), "BindOutput");
  }

  double *lat = malloc(runs * sizeof *lat);
  double start = now_ms();
  if (binding) {
    for (int i = 0; i < runs; i++) {
      double a = now_ms();
      OrtStatus *st = api->RunWithBinding(sess, NULL, io);
      lat[i] = now_ms() - a;
      check(st, "RunWithBinding");
    }
  } else {
    for (int i = 0; i < runs; i++) {
      double a = now_ms();
      OrtStatus *st = api->Run(sess, NULL, (const char *const *)in_names, (const OrtValue *const *)ins, nin,
                               (const char *const *)out_names, nout, outs);
      lat[i] = now_ms() - a;
      check(st, "Run");
    }
  }
  double wall = now_ms() - start;

  double sum = 0;
  for (int i = 0; i < runs; i++) sum += lat[i];
  qsort(lat, runs, sizeof *lat, cmp);
  printf("runs=%d p50_ms=%.6f mean_ms=%.6f min_ms=%.6f p90_ms=%.6f p99_ms=%.6f max_ms=%.6f wall_s=%.6f session_create_ms=%.3f\n",
         runs, percentile(lat, runs, 50), sum / runs, lat[0], percentile(lat, runs, 90), percentile(lat, runs, 99),
         lat[runs - 1], wall / 1e3, create_ms);
  return 0;
}
