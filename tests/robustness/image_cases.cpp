// Images and masks, as `seglab train` (every sample is checked before a run
// is recorded), `seglab data check` and `seglab predict` read them.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <filesystem>
#include <stdexcept>

#include "tests/robustness/corpus.h"
#include "tests/robustness/corpus_files.h"
#include "tests/support/test_support.h"

namespace seglab::test {
namespace {

// A folder dataset with images/b.png or masks/b.png replaced by `bytes`
// (under `name`), and `seglab train` on it.
Invocation train_with(const CaseContext& c, const std::string& replaced, const std::string& name,
                      const std::string& bytes, std::vector<std::string> needles) {
  const std::string root = c.dir + "/data";
  write_folder_dataset(root);
  std::remove((root + "/" + replaced).c_str());
  write_bytes(root + "/" + name, bytes);
  write_text_file(c.dir + "/exp.ini", folder_experiment(root));
  needles.insert(needles.begin(), name);
  return {"train " + c.dir + "/exp.ini --store " + c.store, needles};
}

std::string encoded(const cv::Mat& image, const std::string& extension, std::vector<int> params = {}) {
  std::vector<uchar> bytes;
  cv::imencode(extension, image, bytes, params);
  return std::string(bytes.begin(), bytes.end());
}

cv::Mat picture(int depth = CV_8U, int channels = 3) {
  cv::Mat m(30, 40, CV_MAKETYPE(depth, channels), cv::Scalar::all(depth == CV_16U ? 40000 : 150));
  return m;
}

cv::Mat disc_mask(int foreground) {
  cv::Mat m = cv::Mat::zeros(30, 40, CV_8U);
  for (int y = 10; y < 20; ++y)
    for (int x = 15; x < 25; ++x) m.at<uchar>(y, x) = static_cast<uchar>(foreground);
  return m;
}

std::string cut(const std::string& bytes, size_t keep) { return bytes.substr(0, keep); }

Invocation predict_on(const CaseContext& c, const std::string& name, const std::string& bytes,
                      std::vector<std::string> needles) {
  write_bytes(c.dir + "/" + name, bytes);
  needles.insert(needles.begin(), name);
  return {"predict " + c.run_id + " " + c.dir + "/" + name + " -o " + c.dir + "/out --store " + c.store, needles};
}

Invocation accepted_check(const CaseContext& c, const std::string& replaced, const std::string& bytes) {
  const std::string root = c.dir + "/data";
  write_folder_dataset(root);
  write_bytes(root + "/" + replaced, bytes);
  write_text_file(c.dir + "/exp.ini", folder_experiment(root));
  Invocation i{"data check " + c.dir + "/exp.ini", {"4 usable, 0 bad"}};
  i.accepted = true;
  return i;
}

}  // namespace

std::vector<Case> image_cases() {
  const std::string png = encoded(picture(), ".png");
  const std::string jpeg = encoded(picture(), ".jpg");
  const std::string bmp = encoded(picture(), ".bmp");
  return {
      {"image_truncated_png", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.png", cut(png, png.size() / 2), {"truncated PNG file"}); }},
      {"image_truncated_jpeg", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.jpg", cut(jpeg, jpeg.size() / 2), {"truncated JPEG file"}); }},
      {"image_truncated_bmp", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.bmp", cut(bmp, bmp.size() / 2), {"truncated BMP file"}); }},
      {"image_zero_bytes", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.png", "", {"file is empty (0 bytes)"}); }},
      {"image_text_with_png_extension", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.png", "hello, not an image\n", {"cannot decode image"}); }},
      {"image_png_signature_then_garbage", "image",
       [=](const CaseContext& c) {
         return train_with(c, "images/b.png", "images/b.png", png.substr(0, 8) + std::string(200, 'x') + "IEND", {"cannot decode image"});
       }},
      {"image_corrupt_png_data", "image",
       [=](const CaseContext& c) {
         std::string bad = png;
         for (size_t i = 45; i < bad.size() - 20; ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
         return train_with(c, "images/b.png", "images/b.png", bad, {"cannot decode image"});
       }},
      {"image_png_bomb_header", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.png", png_declaring(100000, 100000), {"over the limit of 64 megapixels"}); }},
      {"image_png_bomb_real", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.png", zero_png(10000, 10000), {"image is 10000x10000 (100 megapixels), over the limit of 64 megapixels"}); }},
      {"image_jpeg_bomb_header", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.jpg", jpeg_declaring(65000, 65000), {"image is 65000x65000", "over the limit"}); }},
      {"image_bmp_bomb_header", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.bmp", bmp_declaring(50000, -50000), {"image is 50000x50000", "over the limit"}); }},
      {"image_tiff_bomb_header", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.tif", tiff_declaring(200000, 100000), {"image is 200000x100000", "over the limit"}); }},
      {"image_png_zero_width", "image",
       [=](const CaseContext& c) { return train_with(c, "images/b.png", "images/b.png", png_declaring(0, 30), {"declares a size of 0x30"}); }},
      {"image_jpeg_named_png", "image",
       [=](const CaseContext& c) { return accepted_check(c, "images/b.png", jpeg); }},
      {"image_grey", "image",
       [=](const CaseContext& c) { return accepted_check(c, "images/b.png", encoded(picture(CV_8U, 1), ".png")); }},
      {"image_16bit_rgb", "image",
       [=](const CaseContext& c) { return accepted_check(c, "images/b.png", encoded(picture(CV_16U, 3), ".png")); }},
      {"image_cmyk_jpeg", "image",
       [=](const CaseContext& c) {
         // OpenCV cannot write CMYK; PIL (Debian's python3-pil) can.
         const std::string path = c.dir + "/cmyk.jpg";
         const auto r = run_command(std::string(test::python()) + " -c \"from PIL import Image; Image.new('CMYK', (40, 30), (10, 60, 80, 20)).save('" + path + "')\"");
         if (r.exit_code != 0) throw std::runtime_error("PIL could not write a CMYK JPEG: " + r.output);
         return accepted_check(c, "images/b.png", read_bytes(path));
       }},
      {"image_rgba", "image",
       [=](const CaseContext& c) { return accepted_check(c, "images/b.png", encoded(picture(CV_8U, 4), ".png")); }},
      {"image_folder_named_png", "image",
       [=](const CaseContext& c) {
         // Listed by name, the folder is no image: mask b has none.
         Invocation i = train_with(c, "images/b.png", "images/z.txt", "", {});
         std::filesystem::create_directories(c.dir + "/data/images/b.png");
         i.needles = {"masks/b.png", "mask has no image"};
         return i;
       }},
      {"mask_not_binary", "mask",
       [=](const CaseContext& c) {
         cv::Mat m = disc_mask(255);
         m(cv::Rect(0, 0, 5, 5)).setTo(128);
         return train_with(c, "masks/b.png", "masks/b.png", encoded(m, ".png"), {"mask is not binary (values 0, 128, 255)"});
       }},
      {"mask_jpeg_compressed", "mask",
       [=](const CaseContext& c) {
         return train_with(c, "masks/b.png", "masks/b.jpg", encoded(disc_mask(255), ".jpg", {cv::IMWRITE_JPEG_QUALITY, 50}), {"mask is not binary (values 0, 1, "});
       }},
      {"mask_wrong_size", "mask",
       [=](const CaseContext& c) {
         cv::Mat m = cv::Mat::zeros(20, 20, CV_8U);
         return train_with(c, "masks/b.png", "masks/b.png", encoded(m, ".png"), {"20x20", "40x30"});
       }},
      {"mask_rgb_coloured", "mask",
       [=](const CaseContext& c) {
         cv::Mat m(30, 40, CV_8UC3, cv::Scalar(0, 0, 0));
         m(cv::Rect(15, 10, 10, 10)).setTo(cv::Scalar(0, 0, 255));  // red lesion (BGR)
         return train_with(c, "masks/b.png", "masks/b.png", encoded(m, ".png"), {"mask is not binary (values 0, 76)"});
       }},
      {"mask_float_tiff", "mask",
       [=](const CaseContext& c) {
         cv::Mat m;
         disc_mask(1).convertTo(m, CV_32F, 0.5);
         return train_with(c, "masks/b.png", "masks/b.tif", encoded(m, ".tif"), {"mask has an unsupported pixel type"});
       }},
      {"mask_truncated", "mask",
       [=](const CaseContext& c) {
         const std::string m = encoded(disc_mask(255), ".png");
         return train_with(c, "masks/b.png", "masks/b.png", cut(m, m.size() - 14), {"truncated PNG file"});
       }},
      {"mask_zero_bytes", "mask",
       [=](const CaseContext& c) { return train_with(c, "masks/b.png", "masks/b.png", "", {"file is empty (0 bytes)"}); }},
      {"mask_bomb", "mask",
       [=](const CaseContext& c) { return train_with(c, "masks/b.png", "masks/b.png", png_declaring(70000, 70000), {"over the limit of 64 megapixels"}); }},
      {"mask_missing", "mask",
       [=](const CaseContext& c) {
         Invocation i = train_with(c, "masks/none.png", "masks/z.png", encoded(disc_mask(255), ".png"), {"mask has no image"});
         return i;
       }},
      {"mask_16bit_zero_one", "mask",
       [=](const CaseContext& c) {
         cv::Mat m;
         disc_mask(1).convertTo(m, CV_16U);
         return accepted_check(c, "masks/b.png", encoded(m, ".png"));
       }},
      {"mask_grey_zero_one", "mask",
       [=](const CaseContext& c) { return accepted_check(c, "masks/b.png", encoded(disc_mask(1), ".png")); }},
      {"predict_truncated_image", "image",
       [=](const CaseContext& c) { return predict_on(c, "photo.jpg", cut(jpeg, 100), {"truncated JPEG file"}); }},
      {"predict_bomb", "image",
       [=](const CaseContext& c) { return predict_on(c, "photo.png", zero_png(9000, 9000), {"image is 9000x9000 (81 megapixels), over the limit"}); }},
      {"predict_not_an_image", "image",
       [=](const CaseContext& c) { return predict_on(c, "photo.png", std::string(1000, '\x01'), {"cannot decode image"}); }},
  };
}

}  // namespace seglab::test
