#pragma once
// Overlap metrics from a confusion matrix, per image and aggregated.
//
// Conventions (written down because papers differ):
// - A ratio whose denominator is 0 is 1 when the class has no error (no false
//   positive and no false negative: e.g. empty ground truth and empty
//   prediction) and 0 otherwise. So an image without lesion scores Dice 1 when
//   nothing is predicted and 0 when anything is.
// - Headline scores (dice, iou, precision, recall, specificity) are those of the
//   foreground: class 1 for binary runs, the mean over classes 1..K-1 otherwise.
//   `miou` is the mean IoU over all classes, background included, as the
//   semantic-segmentation literature (and the labelme tutorial) reports it.
// - ISIC's thresholded Jaccard: a per-image IoU below 0.65 counts as 0.
// - Dataset figures are means over images ("per image"); `*_pooled` figures
//   come from the confusion matrix summed over all pixels.
#include <map>
#include <string>
#include <vector>

#include "core/confusion_matrix.h"

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

struct Aggregate {
  double mean = 0, std = 0;  // std: population standard deviation over images
};
// Mean and spread of every score over images.
std::map<std::string, Aggregate> aggregate(const std::vector<Scores>& per_image);

}  // namespace seglab
