package org.ledgerpki.launcher.keylime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.CertificateFields;
import org.ledgerpki.core.crypto.Certificates;

/**
 * Which certificates an attested Keylime agent holds, so that a failed attestation can suspend
 * them. Two sources, used together:
 *
 * <ul>
 *   <li>a mapping file (YAML or JSON): {@code agents: {<agent_id>: [<SHA-256 hex or certificate
 *       file>, ...]}};
 *   <li>a directory of certificates, each mapped to the agent its subject names: the subject CN
 *       equal to the agent id, or a subjectAltName (URI or DNS name) equal to the agent id or to
 *       {@code urn:uuid:<agent id>}.
 * </ul>
 *
 * Immutable once loaded.
 */
public final class AgentMapping {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final String CN = "2.5.4.3";

  private final Map<String, Set<String>> byAgent;

  private AgentMapping(Map<String, Set<String>> byAgent) {
    this.byAgent = byAgent;
  }

  /**
   * Loads the mapping.
   *
   * @param file the mapping file, or null
   * @param certsDir the certificate directory, or null
   * @throws IOException if a file cannot be read
   * @throws MalformedInputException naming the file and entry that is wrong
   */
  public static AgentMapping load(Path file, Path certsDir)
      throws IOException, MalformedInputException {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    if (file != null) {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      JsonNode agents = root == null ? null : root.get("agents");
      if (agents == null || !agents.isObject()) {
        throw new MalformedInputException(file + ": expected a map 'agents: {<agent_id>: [...]}'");
      }
      Path base = file.toAbsolutePath().getParent();
      for (var e : agents.properties()) {
        if (!e.getValue().isArray()) {
          throw new MalformedInputException(
              file + ": agents." + e.getKey() + " must be a list of hashes or certificate files");
        }
        for (JsonNode v : e.getValue()) {
          m.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>())
              .add(hashOf(v.asText(), base, file + ": agents." + e.getKey()));
        }
      }
    }
    if (certsDir != null) {
      try (Stream<Path> files = Files.walk(certsDir)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
          if (!(n.endsWith(".pem") || n.endsWith(".crt") || n.endsWith(".der"))
              || n.endsWith(".key.pem")) {
            continue;
          }
          X509Certificate c = Certificates.parse(Files.readAllBytes(f));
          String hash = Hex.encode(Certificates.sha256(c));
          for (String agent : agentsNamedBy(c)) {
            m.computeIfAbsent(agent, k -> new LinkedHashSet<>()).add(hash);
          }
        }
      }
    }
    return new AgentMapping(m);
  }

  private static String hashOf(String v, Path base, String where)
      throws IOException, MalformedInputException {
    if (HEX64.matcher(v).matches()) {
      return v.toLowerCase(Locale.ROOT);
    }
    Path p = base == null ? Path.of(v) : base.resolve(v);
    if (!Files.isRegularFile(p)) {
      throw new MalformedInputException(
          where + ": '" + v + "' is neither a 64-hex SHA-256 nor a certificate file");
    }
    return Hex.encode(Certificates.sha256(Certificates.parse(Files.readAllBytes(p))));
  }

  /** The agent ids a certificate's subject names. */
  static List<String> agentsNamedBy(X509Certificate c) {
    List<String> out = new ArrayList<>(CertificateFields.subjectAttributeValues(c, CN));
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          if (type == 2 || type == 6) { // dNSName, uniformResourceIdentifier
            String v = String.valueOf(san.get(1));
            out.add(v.regionMatches(true, 0, "urn:uuid:", 0, 9) ? v.substring(9) : v);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // No readable subjectAltName: the CN alone.
    }
    return out;
  }

  /** The SHA-256 (hex) of every certificate the agent holds; empty if it is unknown. */
  public Set<String> certificates(String agentId) {
    return byAgent.getOrDefault(agentId, Set.of());
  }

  /** How many agents are mapped. */
  public int agents() {
    return byAgent.size();
  }
}
