package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.schemas.config.KeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ledgerpki keygen}: organisation keys, a consortium's policy, vendor certificates. */
@Command(
    name = "keygen",
    description = "Create organisation keys, a consortium trust policy, or vendor certificates.",
    mixinStandardHelpOptions = true,
    subcommands = {
      KeygenCommand.Consortium.class,
      KeygenCommand.Cert.class,
      KeygenCommand.Transport.class
    })
public final class KeygenCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(),
        "say what to create: 'ledgerpki keygen consortium' or 'ledgerpki keygen cert'");
  }

  /** Generates a whole consortium: log keys, member keys, policy and trust bundle. */
  @Command(
      name = "consortium",
      mixinStandardHelpOptions = true,
      description = {
        "Generate the keys of a log and of member organisations, and write the trust policy",
        "(policy.yaml) and the relying parties' trust bundle (trust.json) into DIR."
      })
  static final class Consortium implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Output directory (created).")
    Path dir;

    @Option(
        names = "--name",
        defaultValue = "demo-5gc",
        description = "Consortium name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
        names = "--members",
        split = ",",
        defaultValue = "vendor-a,operator-b,operator-c",
        description = "Member ids; each gets every role (default: ${DEFAULT-VALUE}).")
    List<String> members;

    @Option(
        names = "--ca-id",
        defaultValue = "32473.1",
        description = "MTC CA trust anchor ID (default: ${DEFAULT-VALUE}).")
    String caId;

    @Option(
        names = "-k",
        defaultValue = "2",
        description = "Endorsement quorum (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
        names = "-m",
        defaultValue = "2",
        description = "Cosignature quorum (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(
        names = "--profile",
        defaultValue = "seed",
        description = "seed or 3gpp-ts-33.310 (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(
        names = "--checkpoint-interval",
        defaultValue = "1s",
        description = "Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(
        names = "--landmark-interval",
        defaultValue = "1h",
        description = "Default: ${DEFAULT-VALUE}.")
    String landmarkInterval;

    @Option(
        names = "--force",
        description =
            "Replace an existing consortium in DIR: its policy and its key files (each removed"
                + " first; a symbolic link is removed itself, never followed).")
    boolean force;

    @Override
    public Integer call() throws IOException {
      ConsortiumFiles files = new ConsortiumFiles(dir);
      if (Files.exists(files.policy()) && !force) {
        System.err.println(
            "ledgerpki keygen: "
                + files.policy()
                + " exists; pass --force to replace the consortium's keys");
        return ExitCodes.USAGE;
      }
      GeneratedConsortium g =
          GeneratedConsortium.generate(
              name, members, caId, k, m, profile, checkpointInterval, landmarkInterval);
      TrustPolicy policy;
      try {
        policy = files.write(g.log(), g.members(), g.document(), force);
      } catch (FileAlreadyExistsException e) {
        System.err.println(
            "ledgerpki keygen: "
                + e.getFile()
                + " exists; pass --force to replace the consortium's keys");
        return ExitCodes.USAGE;
      }
      System.out.println("Wrote consortium '" + name + "' to " + dir + ":");
      System.out.println(
          "  "
              + files.policy()
              + "  (trust policy: "
              + policy.members().size()
              + " members, k="
              + k
              + ", m="
              + m
              + ")");
      System.out.println("  " + files.trust() + "  (trust bundle for relying parties)");
      System.out.println(
          "  " + dir.resolve("log") + "/  (the log's keys: give them to the issuance stream only)");
      for (String id : members) {
        System.out.println("  " + dir.resolve(id) + "/  (" + id + "'s private keys)");
      }
      return ExitCodes.OK;
    }
  }

  /** Generates a self-signed vendor certificate and its key. */
  @Command(
      name = "cert",
      mixinStandardHelpOptions = true,
      description =
          "Generate a key pair and a self-signed vendor certificate (NAME.pem, NAME.key.pem).")
  static final class Cert implements Callable<Integer> {
    @Parameters(
        paramLabel = "NAME",
        description = "Output path without extension, e.g. certs/amf-1.")
    Path out;

    @Option(
        names = "--o",
        required = true,
        description = "Subject organisation (O); must be the submitting member's.")
    String organization;

    @Option(names = "--cn", description = "Subject common name (default: the file name).")
    String commonName;

    @Option(
        names = "--alg",
        defaultValue = "ecdsa-p256",
        description =
            "ed25519, ecdsa-p256, ecdsa-p384, rsa, ml-dsa-44, ml-dsa-65, ml-dsa-87 (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(
        names = "--days",
        defaultValue = "365",
        description = "Validity in days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--dns", split = ",", description = "subjectAltName DNS names.")
    List<String> dns = List.of();

    @Option(
        names = "--force",
        description =
            "Replace NAME.key.pem if it exists (removed first; a symbolic link is removed itself,"
                + " never followed).")
    boolean force;

    @Option(
        names = "--count",
        defaultValue = "1",
        description =
            "Make N certificates, NAME-1 .. NAME-N, each with its own key, for a load test; the"
                + " CN and each --dns name get the same -i suffix on their first label (default:"
                + " ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() throws IOException {
      if (count < 1 || count > 1_000_000) {
        System.err.println(
            "ledgerpki keygen cert: --count must be between 1 and 1000000, found " + count);
        return ExitCodes.USAGE;
      }
      if (count == 1) {
        return one(out, commonName, dns, true);
      }
      StringBuilder manifest = new StringBuilder();
      for (int i = 1; i <= count; i++) {
        String suffix = "-" + i;
        List<String> names = dns.stream().map(d -> suffixed(d, suffix)).toList();
        String cn = (commonName != null ? commonName : out.getFileName().toString()) + suffix;
        Path name = Path.of(out + suffix);
        int rc = one(name, cn, names, false);
        if (rc != ExitCodes.OK) {
          return rc;
        }
        byte[] der;
        try {
          der = Certificates.der(Certificates.parse(Files.readAllBytes(Path.of(name + ".pem"))));
        } catch (org.ledgerpki.core.MalformedInputException e) {
          throw new IOException("cannot read back " + name + ".pem: " + e.getMessage(), e);
        }
        manifest.append(org.ledgerpki.core.Hex.encode(org.ledgerpki.core.Sha256.hash(der)));
        manifest.append("  ").append(name.getFileName()).append(".pem\n");
      }
      Path list = Path.of(out + ".sha256");
      Files.writeString(list, manifest, StandardCharsets.US_ASCII);
      System.out.println(
          "Wrote "
              + count
              + " certificates "
              + out
              + "-1.pem .. "
              + out
              + "-"
              + count
              + ".pem, their keys, and "
              + list
              + " (per line: the hex SHA-256 of a certificate's DER, then its file name)");
      return ExitCodes.OK;
    }

    /** The DNS name with the suffix on its first label: amf.example -> amf-7.example. */
    private static String suffixed(String dnsName, String suffix) {
      int dot = dnsName.indexOf('.');
      return dot < 0
          ? dnsName + suffix
          : dnsName.substring(0, dot) + suffix + dnsName.substring(dot);
    }

    private Integer one(Path out, String commonName, List<String> dns, boolean verbose)
        throws IOException {
      SignatureAlgorithm alg;
      try {
        alg = SignatureAlgorithm.fromName(algorithm);
      } catch (IllegalArgumentException e) {
        System.err.println(
            "ledgerpki keygen cert: unknown algorithm '"
                + algorithm
                + "'; use one of ed25519, ecdsa-p256, ecdsa-p384, rsa, ml-dsa-44, ml-dsa-65, ml-dsa-87");
        return ExitCodes.USAGE;
      }
      String cn = commonName != null ? commonName : out.getFileName().toString();
      KeyPair kp = Keys.generate(alg);
      X509Certificate cert = vendorCertificate(kp, "CN=" + cn + ",O=" + organization, days, dns);
      Path pem = Path.of(out + ".pem");
      Path key = Path.of(out + ".key.pem");
      if (pem.toAbsolutePath().getParent() != null) {
        Files.createDirectories(pem.toAbsolutePath().getParent());
      }
      // The key first: if it may not be written, no certificate is left without its key.
      try {
        if (force) {
          KeyFiles.replace(key, kp.getPrivate());
        } else {
          KeyFiles.write(key, kp.getPrivate());
        }
      } catch (FileAlreadyExistsException e) {
        System.err.println(
            "ledgerpki keygen cert: " + key + " exists; pass --force to replace it and " + pem);
        return ExitCodes.USAGE;
      }
      Files.writeString(pem, Certificates.pem(cert), StandardCharsets.US_ASCII);
      if (!verbose) {
        return ExitCodes.OK;
      }
      System.out.println(
          "Wrote "
              + pem
              + " ("
              + alg.configName()
              + ", "
              + cert.getSubjectX500Principal().getName()
              + ", sha256 "
              + org.ledgerpki.core.Hex.encode(Certificates.sha256(cert))
              + ")");
      System.out.println("  and its private key " + key);
      return ExitCodes.OK;
    }
  }

  /**
   * Generates the consortium's transport PKI for Kafka mutual TLS: a CA and one key and certificate
   * per party, separate from the ledger's keys. A party's principal on the brokers is its CN (see
   * {@code ssl.principal.mapping.rules} in docker-compose.yml).
   */
  @Command(
      name = "transport",
      mixinStandardHelpOptions = true,
      description = {
        "Generate a transport CA and a TLS key and certificate per party for Kafka mutual TLS,",
        "separate from the ledger's keys: DIR/ca.pem (the trust store), DIR/ca.key.pem (keep it",
        "offline), DIR/<party>.keystore.pem (the party's PKCS#8 key and certificate; Kafka's",
        "ssl.keystore.type=PEM). Each certificate has CN=<party>, O=<organisation>, the DNS name",
        "<party> and both serverAuth and clientAuth."
      })
  static final class Transport implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Output directory (created).")
    Path dir;

    @Option(
        names = "--members",
        split = ",",
        defaultValue = "vendor-a,operator-b,operator-c",
        description =
            "Members; each gets validator-, cosigner-, submitter-, inquiry-, keylime-adapter-"
                + " and mirror-<member> (default: ${DEFAULT-VALUE}).")
    List<String> members;

    @Option(
        names = "--brokers",
        defaultValue = "3",
        description = "Brokers kafka-1..kafka-N (default: ${DEFAULT-VALUE}).")
    int brokers;

    @Option(
        names = "--party",
        description = "A further party (repeatable), e.g. an operator's tool; O=consortium.")
    List<String> extra = List.of();

    @Option(
        names = "--days",
        defaultValue = "365",
        description = "Validity of every certificate in days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(
        names = "--force",
        description = "Replace existing key files (each removed first, a link never followed).")
    boolean force;

    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    /** BasicConstraints cA=TRUE, pathLenConstraint 0. */
    static final byte[] CA_CONSTRAINTS = {0x30, 0x06, 0x01, 0x01, (byte) 0xff, 0x02, 0x01, 0x00};

    @Override
    public Integer call() throws IOException {
      if (brokers < 1) {
        System.err.println(
            "ledgerpki keygen transport: --brokers must be 1 or more, got " + brokers);
        return ExitCodes.USAGE;
      }
      java.util.Map<String, String> parties = new java.util.LinkedHashMap<>();
      for (int i = 1; i <= brokers; i++) {
        parties.put("kafka-" + i, "consortium");
      }
      parties.put("admin", "consortium");
      parties.put("issuance", "consortium");
      for (String m : members) {
        for (String role :
            List.of("validator", "cosigner", "submitter", "inquiry", "keylime-adapter", "mirror")) {
          parties.put(role + "-" + m, m);
        }
      }
      extra.forEach(p -> parties.put(p, "consortium"));
      for (String party : parties.keySet()) {
        if (!party.matches("[a-z0-9][a-z0-9.-]*")) {
          System.err.println(
              "ledgerpki keygen transport: party '"
                  + party
                  + "' must be a DNS label (lower case letters, digits, '.', '-')");
          return ExitCodes.USAGE;
        }
      }
      Files.createDirectories(dir);
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Instant from = now.minus(Duration.ofMinutes(1));
      Instant to = now.plus(Duration.ofDays(days));
      KeyPair ca = Keys.generate(SignatureAlgorithm.ECDSA_P256);
      String caDn = "CN=ledgerpki transport CA,O=consortium";
      X509Certificate caCert =
          new CertificateBuilder()
              .subject(caDn)
              .keyPair(ca)
              .keyUsage(true, KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN)
              .extension("2.5.29.19", true, CA_CONSTRAINTS)
              .validity(from, to)
              .build();
      try {
        writeKey(dir.resolve("ca.key.pem"), ca, null);
        for (var e : parties.entrySet()) {
          KeyPair kp = Keys.generate(SignatureAlgorithm.ECDSA_P256);
          X509Certificate cert =
              new CertificateBuilder()
                  .subject("CN=" + e.getKey() + ",O=" + e.getValue())
                  .issuer(caDn)
                  .publicKey(kp.getPublic())
                  .signingKey(ca.getPrivate())
                  .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
                  .extendedKeyUsage(false, SERVER_AUTH, CLIENT_AUTH)
                  .dnsNames(e.getKey())
                  .validity(from, to)
                  .build();
          writeKey(dir.resolve(e.getKey() + ".keystore.pem"), kp, cert);
        }
      } catch (FileAlreadyExistsException e) {
        System.err.println(
            "ledgerpki keygen transport: " + e.getFile() + " exists; pass --force to replace it");
        return ExitCodes.USAGE;
      }
      Files.writeString(dir.resolve("ca.pem"), Certificates.pem(caCert), StandardCharsets.US_ASCII);
      System.out.println(
          "Wrote the transport CA and " + parties.size() + " parties to " + dir + ":");
      System.out.println("  " + dir.resolve("ca.pem") + "  (trust store of every party)");
      System.out.println("  " + dir.resolve("ca.key.pem") + "  (the CA's key: keep it offline)");
      System.out.println(
          "  "
              + dir.resolve("<party>.keystore.pem")
              + "  for "
              + String.join(", ", parties.keySet()));
      return ExitCodes.OK;
    }

    /** The private key (mode 0600, never over a file unless --force), then the certificate. */
    private void writeKey(Path path, KeyPair kp, X509Certificate cert) throws IOException {
      if (force) {
        KeyFiles.replace(path, kp.getPrivate());
      } else {
        KeyFiles.write(path, kp.getPrivate());
      }
      if (cert != null) {
        Files.writeString(
            path,
            Certificates.pem(cert),
            StandardCharsets.US_ASCII,
            java.nio.file.StandardOpenOption.APPEND);
      }
    }
  }

  /**
   * A self-signed v3 certificate: keyUsage digitalSignature (critical), valid from a minute ago.
   */
  static X509Certificate vendorCertificate(KeyPair kp, String dn, int days, List<String> dns) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    CertificateBuilder b =
        new CertificateBuilder()
            .subject(dn)
            .keyPair(kp)
            .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
            .validity(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(days)));
    if (!dns.isEmpty()) {
      b.dnsNames(dns.toArray(String[]::new));
    }
    return b.build();
  }
}
