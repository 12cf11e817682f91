#include "DataFilter.h"

#include "DatasetPaths.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <sys/stat.h>

namespace studio::dataset {

namespace {

// The per-image value of one operator, or false with the reason the image cannot be read.
struct ImageValue
{
    bool readable = true;
    std::string error;
    ImageProblem problem = ImageProblem::None;
    bool pass = false;
    std::string shown; // "1023x1024", "2047 bytes"
};

bool statSize(const std::string &path, unsigned long long *size, std::string *error)
{
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
        *error = "not found"; // dj-process stats the file: only a missing one fails
        return false;
    }
    *size = static_cast<unsigned long long>(st.st_size);
    return true;
}

std::string ratioText(double r)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", r);
    return buf;
}

bool sameBytes(const std::string &a, const std::string &b)
{
    std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
    if (!fa || !fb)
        return false;
    return std::equal(std::istreambuf_iterator<char>(fa), std::istreambuf_iterator<char>(),
                      std::istreambuf_iterator<char>(fb), std::istreambuf_iterator<char>());
}

// FNV-1a over the file's bytes: a cheap key; equal keys are confirmed byte for byte.
bool fileKey(const std::string &path, std::string *key)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    uint64_t h = 1469598103934665603ull, n = 0;
    char buf[1 << 15];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        for (std::streamsize i = 0; i < in.gcount(); ++i) {
            h = (h ^ static_cast<unsigned char>(buf[i])) * 1099511628211ull;
            ++n;
        }
    }
    *key += std::to_string(n) + ":" + std::to_string(h) + ";";
    return true;
}

} // namespace

const ImageProbe &DataFilter::probe(const std::string &path)
{
    auto it = m_probes.find(path);
    if (it == m_probes.end())
        it = m_probes.emplace(path, probeImage(path)).first;
    return it->second;
}

std::vector<SampleOutcome> DataFilter::run(const std::string &firstText, const std::string &imageKey,
                                           const std::vector<FilterOp> &ops, const ExtraFilters &extras)
{
    std::vector<SampleOutcome> outcomes(m_data.samples.size());
    const int text = m_data.column(firstText);
    for (size_t i = 0; i < outcomes.size(); ++i) {
        if (text < 0 || m_data.samples[i].values[text].is_null()) {
            outcomes[i].kept = false;
            outcomes[i].droppedBy = "text";
            outcomes[i].reason = "text is null";
        }
    }
    for (const FilterOp &op : ops)
        applyOp(op, &outcomes);
    if (extras.dropExactDuplicates)
        dropDuplicates(imageKey, &outcomes);
    if (extras.aestheticScorer)
        applyAesthetic(imageKey, extras, &outcomes);
    return outcomes;
}

void DataFilter::applyOp(const FilterOp &op, std::vector<SampleOutcome> *outcomes)
{
    const int column = m_data.column(op.imageKey);
    for (size_t i = 0; i < outcomes->size(); ++i) {
        SampleOutcome &outcome = (*outcomes)[i];
        if (!outcome.kept)
            continue;
        const std::vector<std::string> paths = m_data.paths(m_data.samples[i], column);
        if (paths.empty())
            continue; // no images: kept
        // Each distinct path is read once, in list order; the first that fails drops the sample.
        std::map<std::string, ImageValue> values;
        std::string unreadable, why;
        ImageProblem problem = ImageProblem::None;
        for (const std::string &path : paths) {
            if (values.count(path))
                continue;
            ImageValue v;
            if (op.kind == FilterKind::ImageSize) {
                unsigned long long size = 0;
                v.readable = statSize(path, &size, &v.error);
                v.problem = v.readable ? ImageProblem::None : ImageProblem::NotFound;
                const long double s = static_cast<long double>(size);
                v.pass = op.minSize <= s && s <= op.maxSize;
                v.shown = std::to_string(size) + " bytes";
            } else {
                const ImageProbe &p = probe(path);
                v.readable = p.ok;
                v.error = p.error;
                v.problem = p.problem;
                if (op.kind == FilterKind::ImageShape) {
                    v.pass = op.minWidth <= p.width && p.width <= op.maxWidth && op.minHeight <= p.height &&
                             p.height <= op.maxHeight;
                    v.shown = std::to_string(p.width) + "x" + std::to_string(p.height);
                } else {
                    const double r = static_cast<double>(p.width) / static_cast<double>(p.height);
                    v.pass = op.minRatio <= r && r <= op.maxRatio;
                    v.shown = "ratio " + ratioText(r) + " (" + std::to_string(p.width) + "x" +
                              std::to_string(p.height) + ")";
                }
            }
            if (!v.readable) {
                unreadable = path;
                why = v.error;
                problem = v.problem;
                break;
            }
            values.emplace(path, v);
        }
        if (!unreadable.empty()) {
            outcome.kept = false;
            outcome.droppedBy = op.name();
            outcome.verdict = SampleOutcome::Verdict::Unreadable;
            outcome.unreadablePath = unreadable;
            outcome.problem = problem;
            outcome.reason = "cannot read image " + unreadable + " (" + why + ")";
            continue;
        }
        int passing = 0;
        std::string failing, failingValue;
        for (const std::string &path : paths) {
            const ImageValue &v = values.at(path);
            if (v.pass) {
                ++passing;
            } else if (failing.empty()) {
                failing = fileName(path);
                failingValue = v.shown;
            }
        }
        const bool keep = op.anyOrAll == AnyOrAll::Any ? passing > 0 : passing == static_cast<int>(paths.size());
        if (!keep) {
            outcome.kept = false;
            outcome.droppedBy = op.name();
            outcome.verdict = SampleOutcome::Verdict::OutOfBounds;
            outcome.image = failing;
            outcome.value = failingValue;
            outcome.limits = op.describe();
            outcome.reason = failing + " is " + failingValue + ", outside " + op.describe();
        }
    }
}

void DataFilter::dropDuplicates(const std::string &imageKey, std::vector<SampleOutcome> *outcomes)
{
    const int column = m_data.column(imageKey);
    std::map<std::string, size_t> firstWithKey;
    for (size_t i = 0; i < outcomes->size(); ++i) {
        SampleOutcome &outcome = (*outcomes)[i];
        if (!outcome.kept)
            continue;
        const std::vector<std::string> paths = m_data.paths(m_data.samples[i], column);
        if (paths.empty())
            continue;
        std::string key;
        bool readable = true;
        for (const std::string &path : paths)
            if (!fileKey(path, &key)) {
                outcome.kept = false;
                outcome.droppedBy = "duplicate";
                outcome.verdict = SampleOutcome::Verdict::Unreadable;
                outcome.problem = ImageProblem::NotFound;
                outcome.unreadablePath = path;
                outcome.reason = "cannot read image " + path + " (not found)";
                readable = false;
                break;
            }
        if (!readable)
            continue;
        auto it = firstWithKey.find(key);
        if (it == firstWithKey.end()) {
            firstWithKey.emplace(key, i);
            continue;
        }
        const std::vector<std::string> earlier = m_data.paths(m_data.samples[it->second], column);
        bool same = earlier.size() == paths.size();
        for (size_t k = 0; same && k < paths.size(); ++k)
            same = sameBytes(paths[k], earlier[k]);
        if (same) {
            outcome.kept = false;
            outcome.droppedBy = "duplicate";
            outcome.verdict = SampleOutcome::Verdict::Duplicate;
            outcome.duplicateOf = m_data.samples[it->second].line;
            outcome.reason = "same image bytes as sample " + std::to_string(outcome.duplicateOf);
        }
    }
}

void DataFilter::applyAesthetic(const std::string &imageKey, const ExtraFilters &extras,
                                std::vector<SampleOutcome> *outcomes)
{
    const int column = m_data.column(imageKey);
    std::map<std::string, double> scores;
    for (size_t i = 0; i < outcomes->size(); ++i) {
        SampleOutcome &outcome = (*outcomes)[i];
        if (!outcome.kept)
            continue;
        const std::vector<std::string> paths = m_data.paths(m_data.samples[i], column);
        if (paths.empty())
            continue;
        double best = -1e300;
        std::string bestName;
        for (const std::string &path : paths) {
            auto it = scores.find(path);
            if (it == scores.end()) {
                try {
                    it = scores.emplace(path, extras.aestheticScorer->score(path)).first;
                } catch (const std::exception &e) {
                    outcome.kept = false;
                    outcome.droppedBy = "aesthetic";
                    outcome.verdict = SampleOutcome::Verdict::Unreadable;
                    outcome.problem = ImageProblem::NotAnImage;
                    outcome.unreadablePath = path;
                    outcome.reason = "cannot score image " + path + " (" + e.what() + ")";
                    break;
                }
            }
            if (it->second > best) {
                best = it->second;
                bestName = fileName(path);
            }
        }
        if (outcome.kept && best < extras.minAesthetic) {
            char value[32], limit[32];
            std::snprintf(value, sizeof value, "%.3f", best);
            std::snprintf(limit, sizeof limit, "%.3f", extras.minAesthetic);
            outcome.kept = false;
            outcome.droppedBy = "aesthetic";
            outcome.verdict = SampleOutcome::Verdict::LowAesthetic;
            outcome.image = bestName;
            outcome.value = value;
            outcome.limits = std::string("min_score=") + limit;
            outcome.reason = "aesthetic score " + outcome.value + " (" + bestName + ") below " + limit;
        }
    }
}

} // namespace studio::dataset
