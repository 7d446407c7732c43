package org.ledgerpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** STYLE.md item 2: Bouncy Castle stays behind {@code org.ledgerpki.core.crypto}. */
class BouncyCastleBoundaryTest {
  private static final Path MAIN = Path.of("src/main/java/org/ledgerpki/core");

  @Test
  void onlyTheCryptoPackageImportsBouncyCastle() throws IOException {
    assertThat(MAIN).isDirectory();
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(MAIN)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.getParent().endsWith(Path.of("crypto")))
              .filter(BouncyCastleBoundaryTest::mentionsBouncyCastle)
              .toList();
    }
    assertThat(offenders).as("main sources outside crypto/ that use org.bouncycastle").isEmpty();
  }

  private static boolean mentionsBouncyCastle(Path p) {
    try {
      return Files.readString(p).contains("org.bouncycastle");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
