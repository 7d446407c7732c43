package org.ledgerpki.schemas.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Set;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Keys;

/**
 * Private keys in files: PKCS#8 PEM, created owner-readable only. Keys come from configuration,
 * never from code, and their material never appears in messages or logs.
 *
 * <p>A key file is created in one step with mode {@code 0600} (on a POSIX file system): there is no
 * moment at which it exists with the umask's wider permissions. It is never written through a
 * symbolic link and never overwrites an existing file; replacing a key is an explicit {@link
 * #replace}.
 */
public final class KeyFiles {
  private static final Set<OpenOption> CREATE_ONLY =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

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
   * Creates a new file holding a private key as PKCS#8 PEM, with mode {@code rw-------} from its
   * creation where the file system is POSIX. Creates missing parent directories.
   *
   * <p>Requires that nothing exists at {@code path}: neither a file nor a symbolic link (even a
   * dangling one), which is never followed. The file's content is forced to the device before this
   * returns; a write that fails part way deletes the partial file.
   *
   * @throws FileAlreadyExistsException naming {@code path} if something exists there
   * @throws IOException if the file cannot be created or written
   */
  public static void write(Path path, PrivateKey key) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    byte[] pem = Keys.toPem(key).getBytes(StandardCharsets.US_ASCII);
    SeekableByteChannel ch;
    try {
      ch = Files.newByteChannel(path, CREATE_ONLY, ownerOnly(path));
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(
          path.toString(),
          null,
          "a file or link already exists there; refusing to overwrite a private key file"
              + " (remove it, or choose to replace it explicitly)");
    }
    boolean done = false;
    try (ch) {
      ByteBuffer b = ByteBuffer.wrap(pem);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (ch instanceof java.nio.channels.FileChannel fc) {
        fc.force(true);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(path);
      }
    }
  }

  /**
   * Replaces the private key file at {@code path}: removes whatever is there first (a symbolic link
   * is removed itself, its target untouched), then {@linkplain #write creates} the file anew. For
   * callers that regenerate keys on an explicit request (for example {@code --force}).
   *
   * @throws FileAlreadyExistsException if something appeared at {@code path} between the removal
   *     and the creation
   * @throws java.nio.file.DirectoryNotEmptyException if {@code path} is a non-empty directory
   */
  public static void replace(Path path, PrivateKey key) throws IOException {
    Files.deleteIfExists(path); // deletes a link itself, never its target
    write(path, key);
  }

  private static FileAttribute<?>[] ownerOnly(Path path) {
    if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
      };
    }
    // Not a POSIX file system: no portable way to restrict the file further.
    return new FileAttribute<?>[0];
  }
}
