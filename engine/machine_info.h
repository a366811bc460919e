#pragma once
// What a measurement ran on, read from the operating system so that no
// backend has to know: the CPU's model name and core count, and the name of an
// NVIDIA GPU. Used by `seglab bench` to name the machine in its records.
#include <string>

namespace seglab {

// "model name" of /proc/cpuinfo (the first processor); "" where there is none
// (another OS, or an ARM kernel that names no model).
std::string cpu_model_name();
// Logical cores online.
int cpu_cores();
// The model of the NVIDIA GPU a device string names ("cuda:1" -> the second
// GPU in PCI bus order, from /proc/driver/nvidia/gpus/*/information); "" for
// "cpu" or when the driver's files are absent. With CUDA_VISIBLE_DEVICES or
// mixed GPU models the order may differ from CUDA's; machines in the field
// have one model, where it cannot.
std::string gpu_model_name(const std::string& device);

}  // namespace seglab
