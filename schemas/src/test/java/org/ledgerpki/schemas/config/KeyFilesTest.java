package org.ledgerpki.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;

/** Private key files: created 0600, never over an existing file, never through a link. */
class KeyFilesTest {
  @TempDir Path dir;
  private static KeyPair key;
  private static KeyPair other;

  @BeforeAll
  static void keys() {
    key = Keys.generate(SignatureAlgorithm.ECDSA_P256);
    other = Keys.generate(SignatureAlgorithm.ECDSA_P256);
  }

  @Test
  void aNewKeyFileIsOwnerOnlyFromItsCreationAndReadsBack() throws Exception {
    Path p = dir.resolve("sub/dir/submission.key.pem");
    KeyFiles.write(p, key.getPrivate());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
        .isEqualTo("rw-------");
    assertThat(KeyFiles.read(p, "test.key").getPublic()).isEqualTo(key.getPublic());
  }

  @Test
  void anExistingFileIsNotOverwritten() throws Exception {
    Path p = dir.resolve("endorsement.key.pem");
    KeyFiles.write(p, key.getPrivate());
    byte[] before = Files.readAllBytes(p);
    assertThatThrownBy(() -> KeyFiles.write(p, other.getPrivate()))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(p.toString())
        .hasMessageContaining("refusing to overwrite");
    assertThat(Files.readAllBytes(p)).isEqualTo(before);
  }

  @Test
  void aSymbolicLinkAtThePathIsRefusedAndItsTargetUntouched() throws Exception {
    Path target = dir.resolve("elsewhere.txt");
    Files.writeString(target, "not a key\n", StandardCharsets.US_ASCII);
    Path link = Files.createSymbolicLink(dir.resolve("log.key.pem"), target);
    assertThatThrownBy(() -> KeyFiles.write(link, key.getPrivate()))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(link.toString());
    assertThat(Files.readString(target)).isEqualTo("not a key\n");
    assertThat(Files.isSymbolicLink(link)).isTrue();

    // A dangling link is refused too: creating through it would make a file where it points.
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.key.pem"), dir.resolve("nope"));
    assertThatThrownBy(() -> KeyFiles.write(dangling, key.getPrivate()))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.exists(dir.resolve("nope"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void replaceRemovesALinkItselfAndCreatesAFreshOwnerOnlyFile() throws Exception {
    Path target = dir.resolve("elsewhere.txt");
    Files.writeString(target, "not a key\n", StandardCharsets.US_ASCII);
    Path link = Files.createSymbolicLink(dir.resolve("cosigner.key.pem"), target);
    KeyFiles.replace(link, key.getPrivate());
    assertThat(Files.isSymbolicLink(link)).isFalse();
    assertThat(Files.readString(target)).isEqualTo("not a key\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(link)))
        .isEqualTo("rw-------");

    KeyFiles.replace(link, other.getPrivate());
    assertThat(KeyFiles.read(link, "test.key").getPublic()).isEqualTo(other.getPublic());
  }
}
