package org.ledgerpki.bench.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchFilesTest {
  @TempDir Path tmp;

  @Test
  void aSecondRunFindsAnEmptyScratchDirectory() throws Exception {
    Path work = tmp.resolve("bench-p2");
    ScratchFiles.resetWorkDir(work, ".marker", "a benchmark");
    Files.createDirectories(work.resolve("kafka/raw-ceiling-0"));
    Files.writeString(work.resolve("services.log"), "the first run");

    ScratchFiles.resetWorkDir(work, ".marker", "a benchmark");

    try (var left = Files.list(work)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(".marker");
    }
  }

  @Test
  void aDirectoryTheBenchmarkDidNotMakeIsNeverEmptied() throws Exception {
    Path someonesFiles = tmp.resolve("home");
    Files.createDirectories(someonesFiles);
    Files.writeString(someonesFiles.resolve("notes.txt"), "keep me");

    assertThatThrownBy(() -> ScratchFiles.resetWorkDir(someonesFiles, ".marker", "a benchmark"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not a scratch directory of this benchmark");
    assertThat(someonesFiles.resolve("notes.txt")).hasContent("keep me");
  }
}
