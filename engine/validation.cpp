#include "engine/validation.h"

#include "engine/segmentation_output.h"

namespace seglab {

ValidationResult validate(Network& network, BatchLoader& loader, const DatasetAdapter& dataset, int64_t num_classes,
                          double threshold,
                          const std::function<void(const std::string&, const cv::Mat&)>& on_mask) {
  ValidationResult result;
  ConfusionMatrix pooled(static_cast<int>(num_classes));
  loader.start_epoch(0);
  Batch batch;
  while (loader.next(batch)) {
    const Tensor probabilities = network.predict(batch.images);
    for (size_t i = 0; i < batch.indices.size(); ++i) {
      const cv::Mat predicted = probabilities_to_mask(probabilities.slice0(static_cast<int64_t>(i)), threshold);
      const Tensor target = batch.targets.slice0(static_cast<int64_t>(i));
      cv::Mat target_mask(predicted.size(), CV_8U);
      for (int64_t p = 0; p < target.numel(); ++p) target_mask.data[p] = static_cast<uchar>(target[p]);
      ConfusionMatrix matrix(static_cast<int>(num_classes));
      matrix.add(predicted.data, target_mask.data, predicted.total());
      pooled.merge(matrix);
      const std::string id = dataset.id(batch.indices[i]);
      result.ids.push_back(id);
      result.per_image.push_back(image_scores(matrix));
      if (on_mask) on_mask(id, predicted);
    }
  }
  result.images = result.per_image.size();
  result.mean = aggregate(result.per_image);
  result.pooled = image_scores(pooled);
  result.confusion.assign(num_classes, std::vector<int64_t>(num_classes, 0));
  for (int t = 0; t < pooled.num_classes(); ++t)
    for (int p = 0; p < pooled.num_classes(); ++p) result.confusion[t][p] = pooled.at(t, p);
  return result;
}

}  // namespace seglab
