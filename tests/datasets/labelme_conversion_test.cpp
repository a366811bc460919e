// LabelMe conversion against PIL (tests/python/labelme_reference.py, LabelMe's
// own drawing rules) on the real LabelMe files and on shapes made here, and
// against PH2's ground truth for the traced skin lesions.
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "core/rng.h"
#include "core/text.h"
#include "datasets/base64.h"
#include "datasets/labelme_annotation.h"
#include "datasets/labelme_classes.h"
#include "datasets/labelme_converter.h"
#include "datasets/labelme_rasterize.h"
#include "tests/datasets/labelme_test_support.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

const char* const kRealFolders[] = {"semantic_segmentation", "instance_segmentation", "bbox_detection",
                                    "video_annotation", "tutorial", "primitives", "skin"};

std::string reference_script() { return std::string(test::source_dir()) + "/tests/python/labelme_reference.py"; }

// PIL's masks for `jsons` with the classes of `class_names` (one per line).
std::vector<cv::Mat> pil_masks(const std::vector<std::string>& jsons, const std::string& class_names,
                               const std::string& out_dir) {
  std::string command = std::string(test::python()) + " " + reference_script() + " masks " + class_names;
  std::vector<std::string> outputs;
  for (size_t i = 0; i < jsons.size(); ++i) {
    outputs.push_back(out_dir + "/pil_" + std::to_string(i) + ".png");
    command += " " + jsons[i] + " " + outputs.back();
  }
  const auto result = test::run_command(command);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  std::vector<cv::Mat> masks;
  for (const auto& path : outputs) masks.push_back(cv::imread(path, cv::IMREAD_UNCHANGED));
  return masks;
}

TEST(LabelMeBase64, DecodesAndRejects) {
  const std::vector<uchar> bytes{0, 1, 2, 250, 251, 252, 253, 'a'};
  for (size_t n = 0; n <= bytes.size(); ++n) {
    const std::vector<uchar> part(bytes.begin(), bytes.begin() + static_cast<long>(n));
    const auto decoded = decode_base64(test::encode_base64(part));
    ASSERT_TRUE(decoded.has_value()) << n;
    EXPECT_EQ(*decoded, part);
  }
  EXPECT_EQ(*decode_base64("aGVs\nbG8="), (std::vector<uchar>{'h', 'e', 'l', 'l', 'o'}));
  EXPECT_FALSE(decode_base64("aGVs*G8=").has_value());
  EXPECT_FALSE(decode_base64("aGVsbG8=x").has_value());
  EXPECT_FALSE(decode_base64("a").has_value());
}

TEST(LabelMeAnnotationFile, ReadsEveryShapeTypeOfThePrimitivesFile) {
  const auto file = read_labelme_file(test::shared_data("labelme/primitives/primitives.json"));
  EXPECT_EQ(file.width, 560);
  EXPECT_EQ(file.height, 450);
  std::vector<std::string> types;
  for (const auto& s : file.shapes) types.push_back(shape_type_name(s.type));
  EXPECT_EQ(join(types, ","), "rectangle,circle,rectangle,polygon,line,point,linestrip,mask");
  const auto& octagon = file.shapes.back();
  EXPECT_EQ(octagon.bitmap.cols, 100);
  EXPECT_EQ(octagon.bitmap.rows, 100);
  EXPECT_GT(cv::countNonZero(octagon.bitmap), 5000);  // an octagon fills most of its box
  bool used_image_data = true;
  const cv::Mat image = load_labelme_image(file, &used_image_data);
  EXPECT_FALSE(used_image_data);
  EXPECT_EQ(image.size(), cv::Size(560, 450));
}

TEST(LabelMeAnnotationFile, FallsBackToImageDataWhenImagePathIsTheJsonItself) {
  const std::string json = test::shared_data("labelme/tutorial/apc2016_obj3.json");
  const auto file = read_labelme_file(json);
  ASSERT_TRUE(file.has_image_data);
  bool used_image_data = false;
  const cv::Mat embedded = load_labelme_image(file, &used_image_data);
  EXPECT_TRUE(used_image_data);
  ASSERT_EQ(embedded.size(), cv::Size(1210, 907));
  // The embedded JPEG shows the same picture as the .jpg beside it.
  cv::Mat jpg = cv::imread(test::shared_data("labelme/tutorial/apc2016_obj3.jpg"), cv::IMREAD_COLOR);
  cv::cvtColor(jpg, jpg, cv::COLOR_BGR2RGB);
  EXPECT_LT(cv::norm(embedded, jpg, cv::NORM_L1) / (embedded.total() * 3.0), 3.0);

  // skin/IMD004.json names IMD004.jpg, which is not there: imageData is used.
  const auto skin = read_labelme_file(test::shared_data("labelme/skin/IMD004.json"));
  EXPECT_FALSE(fs::exists(skin.image_path));
  EXPECT_EQ(load_labelme_image(skin, &used_image_data).size(), cv::Size(765, 574));
  EXPECT_TRUE(used_image_data);
}

// Compares our mask with PIL's: at least 99.9 % of all pixels, and of the
// pixels off the shapes' outlines, agree.
void expect_agreement(const cv::Mat& ours, const cv::Mat& reference, const LabelMeAnnotation& annotation) {
  ASSERT_EQ(ours.size(), reference.size()) << annotation.json_path;
  const auto a = test::agreement_off_boundary(ours, reference, test::shape_boundaries(annotation));
  EXPECT_GE(a.fraction, 0.999) << annotation.json_path << ": " << a.differing << " of " << a.compared
                               << " pixels off the boundary differ";
  const double overall = 1.0 - cv::countNonZero(ours != reference) / static_cast<double>(ours.total());
  EXPECT_GE(overall, 0.999) << annotation.json_path << ": " << cv::countNonZero(ours != reference) << " pixels differ";
}

TEST(LabelMeRasterize, RealFilesAgreeWithPil) {
  test::TempDir dir;
  // One Python run draws every file: per folder, the class order of first
  // appearance (computed independently) and the masks with those classes.
  std::string jobs;
  std::vector<std::vector<std::string>> jsons_of;
  std::vector<std::vector<std::string>> pil_paths_of;
  for (const char* folder : kRealFolders) {
    const auto jsons = list_labelme_files(test::shared_data(std::string("labelme/") + folder));
    const std::string names = dir / (std::string(folder) + "_classes.txt");
    jobs += "classes " + names;
    for (const auto& json : jsons) jobs += " " + json;
    jobs += "\nmasks " + names;
    std::vector<std::string> pil_paths;
    for (size_t i = 0; i < jsons.size(); ++i) {
      pil_paths.push_back(dir / (std::string(folder) + "_" + std::to_string(i) + ".png"));
      jobs += " " + jsons[i] + " " + pil_paths.back();
    }
    jobs += "\n";
    jsons_of.push_back(jsons);
    pil_paths_of.push_back(pil_paths);
  }
  test::write_text_file(dir / "jobs.txt", jobs);
  const auto python = test::run_command(std::string(test::python()) + " " + reference_script() + " batch " + (dir / "jobs.txt"));
  ASSERT_EQ(python.exit_code, 0) << python.output;

  int files = 0;
  for (size_t f = 0; f < jsons_of.size(); ++f) {
    LabelMeClasses classes;
    std::vector<LabelMeAnnotation> annotations;
    for (const auto& json : jsons_of[f]) {
      annotations.push_back(read_labelme_file(json));
      classes.add_labels_of(annotations.back());
    }
    EXPECT_EQ(test::read_text_file(dir / (std::string(kRealFolders[f]) + "_classes.txt")), join(classes.names(), "\n") + "\n")
        << kRealFolders[f];
    for (size_t i = 0; i < annotations.size(); ++i) {
      const cv::Mat reference = cv::imread(pil_paths_of[f][i], cv::IMREAD_UNCHANGED);
      const cv::Mat ours = draw_labelme_mask(annotations[i], [&](const std::string& l) { return classes.index_of(l); });
      expect_agreement(ours, reference, annotations[i]);
      // The masks are not trivially empty: every shape's class is present.
      for (const auto& shape : annotations[i].shapes)
        if (shape.label != kLabelMeBackground) {
          EXPECT_GT(cv::countNonZero(reference == classes.index_of(shape.label)), 0) << jsons_of[f][i] << " " << shape.label;
        }
      ++files;
    }
  }
  EXPECT_EQ(files, 24);
}

// Random shapes of every type, overlapping, with holes and ignored regions.
nlohmann::json random_shapes(Rng& rng, int width, int height) {
  const std::vector<std::string> labels{"a", "b", "c", "__ignore__", "_background_"};
  auto coord = [&](double low, double high) { return low + rng.uniform() * (high - low); };
  nlohmann::json shapes = nlohmann::json::array();
  for (int i = 0; i < 24; ++i) {
    const std::string label = labels[rng.uniform_int(labels.size())];
    const double cx = coord(20, width - 20), cy = coord(20, height - 20);
    switch (i % 6) {
      case 0: {  // star-shaped polygon, possibly concave
        std::vector<cv::Point2d> points;
        const int n = 3 + static_cast<int>(rng.uniform_int(8));
        for (int k = 0; k < n; ++k) {
          const double angle = 2 * M_PI * k / n, r = coord(8, 60);
          points.emplace_back(std::clamp(cx + r * std::cos(angle), 0.0, double(width)),
                              std::clamp(cy + r * std::sin(angle), 0.0, double(height)));
        }
        shapes.push_back(test::labelme_shape(label, "polygon", points));
        break;
      }
      case 1:  // corners in either order
        shapes.push_back(test::labelme_shape(label, "rectangle", {{cx, cy}, {coord(0, width), coord(0, height)}}));
        break;
      case 2:
        shapes.push_back(test::labelme_shape(label, "circle", {{cx, cy}, {cx + coord(-25, 25), cy + coord(-25, 25)}}));
        break;
      case 3:
        shapes.push_back(test::labelme_shape(label, i % 12 == 3 ? "line" : "point",
                                             i % 12 == 3 ? std::vector<cv::Point2d>{{cx, cy}, {coord(0, width), coord(0, height)}}
                                                         : std::vector<cv::Point2d>{{cx, cy}}));
        break;
      case 4:
        shapes.push_back(test::labelme_shape(
            label, "linestrip", {{cx, cy}, {coord(0, width), coord(0, height)}, {coord(0, width), coord(0, height)}}));
        break;
      case 5: {  // a bitmap pasted at its (fractional) corner
        const int w = 10 + static_cast<int>(rng.uniform_int(40)), h = 10 + static_cast<int>(rng.uniform_int(40));
        const double x1 = std::floor(coord(0, width - w)) + 0.4, y1 = std::floor(coord(0, height - h)) + 0.7;
        cv::Mat bitmap = cv::Mat::zeros(h, w, CV_8U);
        cv::ellipse(bitmap, {w / 2, h / 2}, {w / 2, h / 3}, 30, 0, 360, 255, cv::FILLED);
        auto shape = test::labelme_shape(label, "mask", {{x1, y1}, {x1 + w - 1, y1 + h - 1}});
        shape["mask"] = test::png_base64(bitmap);
        shapes.push_back(shape);
        break;
      }
    }
  }
  return shapes;
}

TEST(LabelMeRasterize, GeneratedShapesAgreeWithPil) {
  test::TempDir dir;
  Rng rng(2024);
  std::vector<std::string> jsons;
  for (int f = 0; f < 6; ++f) {
    const int width = 400 + 37 * f, height = 300 + 23 * f;
    jsons.push_back(dir / ("gen" + std::to_string(f) + ".json"));
    test::write_labelme_json(jsons.back(), random_shapes(rng, width, height), width, height, "none.jpg");
  }
  const std::string names = dir / "names.txt";
  test::write_text_file(names, "_background_\na\nb\nc\n");
  const auto references = pil_masks(jsons, names, dir.path());
  const auto classes = LabelMeClasses::from_labels_file(names);
  for (size_t i = 0; i < jsons.size(); ++i) {
    const auto annotation = read_labelme_file(jsons[i]);
    expect_agreement(draw_labelme_mask(annotation, [&](const std::string& l) { return classes.index_of(l); }),
                     references[i], annotation);
    EXPECT_GT(cv::countNonZero(references[i] == 255), 0);  // ignored regions are there
  }
}

// The PH2 lesions traced in skin/: the converted masks are PH2's ground truth
// apart from the traced boundary and the `_background_` holes, which are holes.
TEST(LabelMeConverter, SkinLesionsMatchPh2GroundTruthAndHolesAreHoles) {
  test::TempDir dir;
  const std::string folder = test::copy_labelme_folder("skin", dir / "skin");
  const LabelMeConversion result = convert_labelme_folder(folder, {});
  ASSERT_EQ(result.converted.size(), 8u);
  EXPECT_EQ(join(result.class_names, ","), "_background_,lesion");
  EXPECT_EQ(test::read_text_file(folder + "/class_names.txt"), "_background_\nlesion\n");
  int files_with_holes = 0;
  for (const auto& converted : result.converted) {
    const std::string stem = fs::path(converted.json_path).stem().string();
    const cv::Mat mask = cv::imread(converted.mask_path, cv::IMREAD_UNCHANGED);
    ASSERT_EQ(mask.type(), CV_8UC1) << stem;
    cv::Mat truth = cv::imread(test::shared_data("skin-lesions/masks/" + stem + "_lesion.bmp"), cv::IMREAD_GRAYSCALE);
    ASSERT_EQ(mask.size(), truth.size()) << stem;
    truth = truth > 0;
    truth.setTo(1, truth);

    // Holes: the pixels of each `_background_` polygon (drawn on its own).
    const auto annotation = read_labelme_file(converted.json_path);
    cv::Mat holes = cv::Mat::zeros(mask.size(), CV_8U);
    for (const auto& shape : annotation.shapes)
      if (shape.label == kLabelMeBackground) draw_labelme_shape(holes, shape, 1);
    if (cv::countNonZero(holes) > 0) {
      ++files_with_holes;
      cv::Mat inner;
      cv::erode(holes, inner, cv::Mat::ones(5, 5, CV_8U));
      ASSERT_GT(cv::countNonZero(inner), 100) << stem;
      EXPECT_EQ(cv::countNonZero(mask & inner), 0) << stem << ": the hole is filled";
      EXPECT_EQ(cv::countNonZero(truth & inner), cv::countNonZero(inner)) << stem << ": the hole lies inside the lesion";
    }
    // Elsewhere, away from PH2's boundary (the tracing is about 2 px accurate).
    cv::Mat band = test::boundary_of(truth), excluded;
    cv::dilate(band, band, cv::Mat::ones(7, 7, CV_8U));
    cv::dilate(holes, excluded, cv::Mat::ones(7, 7, CV_8U));
    excluded = excluded | band;
    const cv::Mat differ = (mask != truth) & (excluded == 0);
    const double compared = static_cast<double>(mask.total()) - cv::countNonZero(excluded);
    EXPECT_GE(1.0 - cv::countNonZero(differ) / compared, 0.999) << stem << ": " << cv::countNonZero(differ) << " pixels differ";
    EXPECT_GT(cv::countNonZero(mask), 10000) << stem;
  }
  EXPECT_EQ(files_with_holes, 4);
}

TEST(LabelMeConverter, ClassOrderFollowsTheLabelsFileAndIgnoreIs255) {
  test::TempDir dir;
  const std::string folder = test::copy_labelme_folder("semantic_segmentation", dir / "voc");
  LabelMeConvertOptions options;
  options.labels_file = folder + "/labels.txt";
  options.viz = true;
  const LabelMeConversion result = convert_labelme_folder(folder, options);
  // labels.txt: __ignore__, _background_, then the 20 VOC classes.
  std::vector<std::string> listed = split_list(test::read_text_file(folder + "/labels.txt"), '\n');
  ASSERT_EQ(listed.front(), "__ignore__");
  listed.erase(listed.begin());
  EXPECT_EQ(result.class_names, listed);
  EXPECT_EQ(test::read_text_file(result.class_names_path), join(listed, "\n") + "\n");
  const auto index = [&](const std::string& name) {
    return static_cast<int>(std::find(listed.begin(), listed.end(), name) - listed.begin());
  };
  int ignored_files = 0;
  for (const auto& converted : result.converted) {
    const cv::Mat mask = cv::imread(converted.mask_path, cv::IMREAD_UNCHANGED);
    const auto annotation = read_labelme_file(converted.json_path);
    // Each shape drawn alone: where it is the last shape covering a pixel, the
    // pixel holds its class from labels.txt (255 for __ignore__).
    cv::Mat last_shape(mask.size(), CV_8U, cv::Scalar(255));
    for (size_t s = 0; s < annotation.shapes.size(); ++s) draw_labelme_shape(last_shape, annotation.shapes[s], static_cast<uchar>(s));
    for (size_t s = 0; s < annotation.shapes.size(); ++s) {
      const std::string& label = annotation.shapes[s].label;
      const int expected = label == kLabelMeIgnore ? 255 : index(label);
      const cv::Mat pixels = last_shape == static_cast<int>(s);
      EXPECT_EQ(cv::countNonZero((mask != expected) & pixels), 0)
          << converted.json_path << " shape " << s << " " << label;
    }
    const bool has_ignore = std::any_of(annotation.shapes.begin(), annotation.shapes.end(),
                                        [](const LabelMeShape& shape) { return shape.label == kLabelMeIgnore; });
    EXPECT_EQ(cv::countNonZero(mask == 255) > 0, has_ignore) << converted.json_path << ": __ignore__ regions are 255";
    ignored_files += has_ignore;
    ASSERT_FALSE(converted.viz_path.empty());
    const cv::Mat viz = cv::imread(converted.viz_path, cv::IMREAD_COLOR);
    EXPECT_EQ(viz.size(), mask.size());
  }
  EXPECT_EQ(ignored_files, 2);  // 2011_000003 and 2011_000006 have __ignore__ polygons
}

}  // namespace
}  // namespace seglab
