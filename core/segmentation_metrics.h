#pragma once
// Overlap metrics from a confusion matrix, per image and aggregated.
//
// Conventions (written down because papers differ):
// - Empty cases follow the ISIC challenge's scoring code
//   (isic_challenge_scoring/metrics.py): a ratio whose denominator is 0 is 1.
//   Dice and IoU have a zero denominator only when ground truth and
//   prediction are both empty (score 1); an image without lesion where
//   something is predicted scores Dice and IoU 0. Recall of an image without
//   lesion is 1 (nothing to find), precision of an empty prediction is 1
//   (nothing claimed), specificity of an all-lesion image is 1.
// - Boundary scores follow surface_distance.h (HD95, ASSD: lower is better;
//   both empty 0, one empty the image diagonal. NSD: higher is better; both
//   empty 1, one empty 0) and boundary_iou.h (Boundary IoU: higher is better;
//   both empty 1, one empty 0).
// - Headline scores (dice, iou, precision, recall, specificity) are those of the
//   foreground: class 1 for binary runs, the mean over classes 1..K-1 otherwise.
//   `miou` is the mean IoU over all classes, background included, as the
//   semantic-segmentation literature (and the labelme tutorial) reports it.
// - ISIC's thresholded Jaccard: a per-image IoU below 0.65 counts as 0.
// - Dataset figures are means over images ("per image"); `*_pooled` figures
//   come from the confusion matrix summed over all pixels.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/boundary_iou.h"
#include "core/confusion_matrix.h"
#include "core/surface_distance.h"

namespace seglab {

constexpr double kIsicJaccardThreshold = 0.65;

struct ClassScores {
  double iou = 0, dice = 0, precision = 0, recall = 0, specificity = 0;
};

ClassScores class_scores(const ConfusionMatrix& matrix, int c);
double pixel_accuracy(const ConfusionMatrix& matrix);
double mean_iou(const ConfusionMatrix& matrix);
double thresholded_jaccard(double iou);

// Named scores of one image (or of pooled pixels): dice, iou, isic_jaccard,
// precision, recall, specificity, accuracy, miou, and iou_class<k> per class.
using Scores = std::map<std::string, double>;
Scores image_scores(const ConfusionMatrix& matrix);

struct BoundaryOptions {
  std::optional<PixelSpacing> spacing_mm;  // adds the `_mm` scores
  // tau of NSD: in pixels for `nsd`, in mm for `nsd_mm`; without it, no NSD.
  std::optional<double> nsd_tolerance;
  double boundary_iou_dilation = kBoundaryIouDilationRatio;  // d of Boundary IoU
};

// Boundary scores of one image: `hd95`, `assd`, `boundary_iou` and, with a
// tolerance, `nsd`, in pixels (means over the foreground classes; also
// `<name>_class<k>` per foreground class when there are more than two
// classes), and `hd95_mm`, `assd_mm`, `nsd_mm` (and their `_class<k>`) when a
// spacing in mm is given. Target pixels equal to kIgnoreIndex belong to no
// class, and what is predicted there is not counted (as in the confusion
// matrix). Masks hold class indices, height x width bytes.
Scores boundary_scores(const uint8_t* predicted, const uint8_t* target, int height, int width, int num_classes,
                       const BoundaryOptions& options = {});

// Whether a smaller value of the score named `name` is better: losses and
// distances (hd95, assd and their _mm and _class<k> forms, with or without a
// "val." or "eval.<data>." prefix). Every other score (Dice, IoU, NSD,
// Boundary IoU, ...) is better higher.
bool lower_is_better(const std::string& name);

struct Aggregate {
  double mean = 0, std = 0;  // std: population standard deviation over images
};
// Mean and spread of every score over images.
std::map<std::string, Aggregate> aggregate(const std::vector<Scores>& per_image);

}  // namespace seglab
