// Expected NOT to compile (test build_<front>_is_torch_free): it is compiled with the include folders of the
// libraries ui/ or app/ link, which show the engine's facade but none of LibTorch's include folders.
#include <torch/torch.h>

int probe()
{
    return 0;
}
