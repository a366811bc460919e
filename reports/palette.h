#pragma once
// Okabe & Ito's colour-blind-safe palette. Lines also differ in dash pattern
// and point shape, and bars in fill density, so figures stay readable when
// printed in greyscale.
#include <array>
#include <string>

namespace seglab {

inline const std::array<const char*, 8> kOkabeIto = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                                     "#CC79A7", "#56B4E9", "#F0E442", "#000000"};

inline std::string series_colour(size_t i) { return kOkabeIto[i % kOkabeIto.size()]; }
inline int series_dash(size_t i) { return static_cast<int>(i % 5) + 1; }     // gnuplot dashtype 1..5
inline int series_point(size_t i) { return static_cast<int>(i % 6) * 2 + 5; }  // filled shapes 5,7,9,...
inline double series_fill_density(size_t i) { return 1.0 - 0.22 * static_cast<double>(i % 4); }

}  // namespace seglab
