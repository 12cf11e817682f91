// Built only by the tests build_ui_is_torch_free and build_cli_is_torch_free, which expect this file
// NOT to compile: it is compiled with the libraries ui/ and app/ link (studio_engine_api among them), which see the
// engine's facade but none of LibTorch's headers.
#include <torch/torch.h>

int probe()
{
    return 0;
}
