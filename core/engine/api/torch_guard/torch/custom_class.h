// Shadows LibTorch's <torch/custom_class.h>, which Debian installs straight under /usr/include, for ui/ and app/ (they get
// this folder through studio_engine_api): the studio and the CLI reach the engine through core/engine/api only.
#error "ui/ and app/ are torch-free: include the engine's facade (engine/api/...), never <torch/...>"
