package io.github.iottelemetry.cost.estimate;

import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.cost.settings.PipelineSettings;
import java.util.List;
import java.util.Optional;

/** Pipeline settings for model tests, written out so each test's arithmetic starts from visible numbers. */
final class Settings {

  private Settings() {}

  /** Provisioned 1 shard, no Basic Ingest, one rule with one action, 256 MB arm64, BatchSize 100, 5 s window, 1m windows, 1 small task, 7 days. */
  static PipelineSettings smallProvisioned() {
    return new PipelineSettings("test", false, 1, 24, 2, false, 1, 1, 0, 0, 256, "arm64", 100, 5, 1,
        List.of(Resolution.parse("1m")), 120, 1, 0.25, 0.5, "ARM64", 7, List.of(), 0, 0, Optional.of(30), List.of());
  }

  /** On-demand, Basic Ingest, one rule with one action, 512 MB arm64, BatchSize 500, 1 s window, 1m and 1h windows, 2 tasks of 1 vCPU/2 GB, 30 days. */
  static PipelineSettings largeOnDemand() {
    return new PipelineSettings("test", true, 0, 24, 2, true, 1, 1, 0, 0, 512, "arm64", 500, 1, 1,
        Resolution.parseList("1m,1h"), 120, 2, 1, 2, "ARM64", 30, List.of(), 2, 1, Optional.of(14), List.of());
  }
}
