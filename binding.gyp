{
  "targets": [
    {
      "target_name": "nnkit",
      "sources": [
        "native/addon.cc",
        "native/kernels_baseline.cc",
        "native/kernels_avx2.cc",
        "native/kernels_avx512.cc",
        "native/optim_baseline.cc",
        "native/optim_avx2.cc",
        "native/box_muller_baseline.cc",
        "native/box_muller_avx2.cc"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-fno-math-errno", "-fvisibility=hidden", "-Wno-psabi"],
      "cflags_cc": [
        "-O3",
        "-std=gnu++17",
        "-fno-math-errno",
        "-fvisibility=hidden",
        "-fopenmp-simd",
        "-Wall",
        "-Wextra",
        "-Wno-psabi"
      ],
      "xcode_settings": {
        "OTHER_CFLAGS": ["-O3", "-fno-math-errno"],
        "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=gnu++17", "-fno-math-errno", "-fopenmp-simd"]
      }
    }
  ]
}
