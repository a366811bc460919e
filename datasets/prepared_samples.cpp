#include "datasets/prepared_samples.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "datasets/preprocess.h"
#include "datasets/sample_cache.h"

namespace seglab {

LoadedSample PreparedSamples::get(size_t index) const {
  if (index >= samples.size() || !usable[index])
    throw DataError("sample " + std::to_string(index) + " is not usable (see `seglab data check`)",
                    index < ids.size() ? ids[index] : std::string());
  return samples[index];
}

size_t PreparedSamples::usable_count() const { return static_cast<size_t>(std::count(usable.begin(), usable.end(), true)); }

std::vector<size_t> PreparedSamples::usable_only(const std::vector<size_t>& indices) const {
  std::vector<size_t> kept;
  for (size_t i : indices)
    if (i < usable.size() && usable[i]) kept.push_back(i);
  return kept;
}

namespace {

void decode_all(const DatasetAdapter& dataset, PreparedSamples& out, int workers) {
  const size_t n = dataset.size();
  std::atomic<size_t> next{0};
  std::mutex problems_lock;
  // One byte per sample: `out.usable` is a std::vector<bool>, whose bits share
  // words, so threads setting neighbouring flags would race and lose some
  // (a good sample silently left out).
  std::vector<char> usable(n, 0);
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) {
      try {
        LoadedSample sample = dataset.load(i);
        out.stats[i] = {sample.image.cols, sample.image.rows,
                        cv::countNonZero(sample.mask) / static_cast<double>(std::max<size_t>(1, sample.mask.total()))};
        sample.image = resize_image(sample.image, out.image_size, out.image_size);
        sample.mask = resize_mask(sample.mask, out.image_size, out.image_size);
        out.samples[i] = std::move(sample);
        usable[i] = 1;
      } catch (const Error& e) {
        std::lock_guard<std::mutex> lock(problems_lock);
        out.problems.push_back({out.ids[i], e.input().empty() ? dataset.image_path(i) : e.input(), e.reason()});
      } catch (const std::exception& e) {  // OpenCV and allocation failures: still name the sample
        std::lock_guard<std::mutex> lock(problems_lock);
        out.problems.push_back({out.ids[i], dataset.image_path(i), std::string("cannot load: ") + e.what()});
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < std::max(1, workers); ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < n; ++i) out.usable[i] = usable[i] != 0;
}

}  // namespace

std::shared_ptr<PreparedSamples> prepare_samples(const DatasetAdapter& dataset, const PrepareOptions& options) {
  auto out = std::make_shared<PreparedSamples>();
  out->image_size = options.image_size;
  out->cache_path = options.cache_path;
  const size_t n = dataset.size();
  for (size_t i = 0; i < n; ++i) out->ids.push_back(dataset.id(i));
  std::string refused;
  if (!options.cache_path.empty()) {
    const std::string key = sample_cache_key(dataset, options.image_size);
    if (read_sample_cache(options.cache_path, key, *out, refused)) {
      out->cache_status = "hit";
      return out;
    }
  }
  out->samples.assign(n, {});
  out->usable.assign(n, false);
  out->stats.assign(n, {});
  out->problems = dataset.listing_problems();
  decode_all(dataset, *out, options.workers);
  std::sort(out->problems.begin(), out->problems.end(),
            [](const SampleProblem& a, const SampleProblem& b) { return a.path < b.path; });
  if (!options.cache_path.empty()) {
    write_sample_cache(options.cache_path, sample_cache_key(dataset, options.image_size), *out);
    out->cache_status = refused.empty() ? "built" : "rebuilt (" + refused + ")";
  }
  return out;
}

void enforce_bad_sample_policy(const PreparedSamples& samples, const std::string& policy) {
  if (policy == "skip" || samples.problems.empty()) return;
  const SampleProblem& first = samples.problems.front();
  const size_t more = samples.problems.size() - 1;
  throw DataError(first.problem + (more ? " (and " + std::to_string(more) + " more bad sample" + (more > 1 ? "s" : "") + ")" : ""),
                  first.path,
                  std::string(more ? "`seglab data check <experiment>` lists them all; fix" : "fix") +
                      " or remove it, or set data.on_bad_sample = skip to leave bad samples out");
}

}  // namespace seglab
