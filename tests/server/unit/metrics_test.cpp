// The /metrics text: Prometheus exposition format 0.0.4, cumulative buckets.
#include <catch2/catch.hpp>

#include "metrics.hpp"

using namespace psc::server;

TEST_CASE("histograms are cumulative, with +Inf, sum and count") {
  Histogram h({1, 5});
  for (double v : {0.5, 1.0, 3.0, 9.0}) h.observe(v);
  const auto s = h.snapshot();
  CHECK(s.cumulative == std::vector<uint64_t>{2, 3, 4});
  CHECK(s.count == 4);
  CHECK(s.sum == Approx(13.5));
}

TEST_CASE("the text names every metric with HELP and TYPE and escapes labels") {
  Metrics m;
  m.pushes.add(3);
  m.changes_rejected.add("invalid_field", 2);
  m.commit_seconds.observe(0.003);
  ScrapeState state;
  state.version = "psc-server 1.2.3 \"x\"";
  state.connections_by_role = {{"organizer", 4}};
  const std::string text = render_metrics(m, state);
  CHECK(text.find("# TYPE psc_pushes_total counter\npsc_pushes_total 3\n") != std::string::npos);
  CHECK(text.find("psc_changes_rejected_total{code=\"invalid_field\"} 2\n") != std::string::npos);
  CHECK(text.find("psc_connections{role=\"organizer\"} 4\n") != std::string::npos);
  CHECK(text.find("psc_build_info{version=\"psc-server 1.2.3 \\\"x\\\"\"} 1\n") != std::string::npos);
  CHECK(text.find("psc_commit_seconds_bucket{le=\"0.0025\"} 0\n") != std::string::npos);
  CHECK(text.find("psc_commit_seconds_bucket{le=\"0.005\"} 1\n") != std::string::npos);
  CHECK(text.find("psc_commit_seconds_bucket{le=\"+Inf\"} 1\n") != std::string::npos);
  CHECK(text.find("psc_commit_seconds_count 1\n") != std::string::npos);
}
