#include "core/sha256.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "tests/support/test_support.h"

namespace seglab {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, FileHashMatchesThePh2Manifest) {
  // manifest.csv records the SHA-256 of IMD004.bmp.
  const std::string path = test::shared_data("skin-lesions/images/IMD004.bmp");
  EXPECT_EQ(sha256_file(path), "9ed49d1865b6cb5ee5bfbedf8d7155bfb95c2918e2912b3312079fbdb74d4a2d");
  EXPECT_THROW(sha256_file("/nonexistent/file"), DataError);
}

}  // namespace seglab
