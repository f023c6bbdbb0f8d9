"""The array_api_strict backend: the standard's reference, on simulated devices; no fast paths, on purpose."""

from __future__ import annotations


import array_api_compat
import numpy as np

from ._libraries import Library, _blas_one_thread, register_library


def _strict_device(device):
    import array_api_strict

    info = array_api_strict.__array_namespace_info__()
    if device is None:
        return info.default_device()
    if isinstance(device, str) and device in [d._device for d in info.devices()]:
        device = array_api_strict.Device(device)
    if device not in info.devices():
        raise ValueError(f"device={device!r} is not an array_api_strict device; expected one of {info.devices()}.")
    return device


def _strict_to_numpy(x):
    import array_api_strict

    return np.from_dlpack(array_api_compat.to_device(x, array_api_strict.Device("CPU_DEVICE")))


def _strict_native(device) -> dict:
    one_thread = _blas_one_thread()  # its arrays are numpy's underneath: the same BLAS
    return {} if one_thread is None else {"one_thread": one_thread}


register_library(Library(
    name="array_api_strict", module="array_api_strict", install="pip install array-api-strict",
    namespace="array_api_strict", is_array=lambda x: type(x).__module__.startswith("array_api_strict"),
    resolve_device=_strict_device,
    device_spec=lambda device: device._device,  # the simulated device's name; no public accessor
    to_numpy=_strict_to_numpy, native=_strict_native,
))

