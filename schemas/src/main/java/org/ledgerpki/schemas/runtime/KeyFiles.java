package org.ledgerpki.schemas.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Set;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Keys;

/**
 * Private keys in files: PKCS#8 PEM, written owner-readable only. Keys come from configuration,
 * never from code, and their material never appears in messages or logs.
 */
public final class KeyFiles {
  private KeyFiles() {}

  /** Reads a PKCS#8 PEM private key and pairs it with its public key. */
  public static KeyPair read(Path path, String setting) {
    String pem;
    try {
      pem = Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(
          setting + ": cannot read key file " + path + ": " + e.getMessage(), e);
    }
    try {
      PrivateKey key = Keys.privateKeyFromPem(pem);
      return new KeyPair(Keys.publicKeyOf(key), key);
    } catch (MalformedInputException | RuntimeException e) {
      throw new ConfigException(
          setting + ": " + path + " is not a PKCS#8 PEM private key of a supported algorithm", e);
    }
  }

  /**
   * Writes a private key as PKCS#8 PEM, readable by the owner only where the file system allows.
   */
  public static void write(Path path, PrivateKey key) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    Files.writeString(path, Keys.toPem(key), StandardCharsets.US_ASCII);
    try {
      Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
      Files.setPosixFilePermissions(path, owner);
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing more we can do portably.
    }
  }
}
