from typing import Literal

TensorDtype = Literal[
    "bool", "c128", "c64", "f16", "f32", "f64", "i16", "i32", "i64", "i8", "u16", "u32", "u64", "u8"
]

TENSOR_DTYPE_VALUES: set[TensorDtype] = {
    "bool",
    "c128",
    "c64",
    "f16",
    "f32",
    "f64",
    "i16",
    "i32",
    "i64",
    "i8",
    "u16",
    "u32",
    "u64",
    "u8",
}


def check_tensor_dtype(value: str) -> TensorDtype:
    if value in TENSOR_DTYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TENSOR_DTYPE_VALUES!r}")
