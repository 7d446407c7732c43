package org.ledgerpki.launcher.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import org.ledgerpki.cli.ConsortiumFiles;
import org.ledgerpki.cli.ExitCodes;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.cli.GovernanceTopics;
import org.ledgerpki.cli.LedgerPki;
import org.ledgerpki.cli.PolicyClient;
import org.ledgerpki.cli.PolicyCommand;
import org.ledgerpki.cli.TrustCommand;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.schemas.Governance;
import org.ledgerpki.schemas.config.KeyFiles;
import picocli.CommandLine;

/**
 * The demo's governance act: the consortium admits a fourth member by quorum. One member proposes
 * the next policy (its proposal carries its approval), a second approves it, the issuance stream
 * sequences the change, the inquiry node serves the chain, and a relying party follows it with
 * {@code ledgerpki trust update} from the genesis bundle and verifies an answer with the result.
 */
final class DemoGovernance {
  static final String NEW_MEMBER = "operator-d";

  private final Path data;
  private final ConsortiumFiles files;
  private final GeneratedConsortium g;
  private final LocalConsortium.Connection conn;
  private final String node;
  private final BiConsumer<String, Object[]> say;

  DemoGovernance(
      Path data,
      ConsortiumFiles files,
      GeneratedConsortium g,
      LocalConsortium.Connection conn,
      String node,
      BiConsumer<String, Object[]> say) {
    this.data = data;
    this.files = files;
    this.g = g;
    this.conn = conn;
    this.node = node;
    this.say = say;
  }

  private void say(String format, Object... args) {
    say.accept(format, args);
  }

  /**
   * Runs the act and prints the chain; returns whether the node served the new policy in time, the
   * chain verified, the bundle was updated and an answer verified with it.
   *
   * @param sample a certificate the ledger holds GOOD, to verify with the updated bundle
   */
  boolean admitFourthMember(byte[] sample, int timeoutSeconds) throws Exception {
    TrustPolicy current = TrustPolicyReader.parse(Files.readAllBytes(files.policy()), "genesis");
    MemberKeys d =
        MemberKeys.generate(
            NEW_MEMBER,
            GeneratedConsortium.displayName(NEW_MEMBER),
            GeneratedConsortium.displayName(NEW_MEMBER),
            List.of("001-05"),
            Set.of(Role.SUBMITTER),
            null);
    KeyFiles.replace(files.submissionKey(NEW_MEMBER), d.submission().getPrivate());
    List<PolicyDocument.MemberDoc> members = new ArrayList<>(current.document().members());
    members.add(d.toDocument().withDomains(List.of(GeneratedConsortium.domain(NEW_MEMBER))));
    byte[] proposedBytes =
        ("# ledger-pki trust policy serial 2: admits "
                + NEW_MEMBER
                + "\n"
                + current.document().withMembers(members).withSerial(current.serial() + 1).toYaml())
            .getBytes(StandardCharsets.UTF_8);
    Path proposedFile = data.resolve("policy-2.yaml");
    Files.write(proposedFile, proposedBytes);
    TrustPolicy proposed = TrustPolicyReader.parse(proposedBytes, proposedFile.toString());
    System.out.println();
    say(
        "governance: vendor-a proposes %s (admits %s, a submitter); the change needs %d of the %d"
            + " members (governance quorum)",
        proposedFile.getFileName(),
        NEW_MEMBER,
        current.governanceQuorum(),
        current.members().size());
    long started = System.nanoTime();
    try (GovernanceTopics topics =
        new GovernanceTopics(conn.bootstrap(), conn.registryUrl(), conn.topicPrefix())) {
      topics.write(
          Governance.act(current, proposed, "vendor-a", key("vendor-a"), true, Instant.now()));
      say("vendor-a proposed policy serial %d (its proposal is its approval)", proposed.serial());
      topics.write(
          Governance.act(current, proposed, "operator-b", key("operator-b"), false, Instant.now()));
      say("operator-b approved it: 2 of %d, the quorum", current.members().size());
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    if (!awaitSerial(http, proposed.serial(), timeoutSeconds)) {
      System.out.println(
          "  EXPECTED the inquiry node to serve policy serial "
              + proposed.serial()
              + " within "
              + timeoutSeconds
              + " s; see the services' log");
      return false;
    }
    say(
        "the issuance stream sequenced the change; the inquiry node serves policy serial %d after"
            + " %.2f s",
        proposed.serial(), (System.nanoTime() - started) / 1e9);

    PolicyClient client = new PolicyClient(node);
    PolicyHistory h = PolicyHistory.genesis(current);
    for (long s = current.serial() + 1; s <= proposed.serial(); s++) {
      h = h.extend(TrustCommand.change(client.serial(s)), Signatures.defaults());
    }
    System.out.println();
    System.out.println(
        "The policy chain (from " + node + "/v1/policy, each step verified offline):");
    PolicyCommand.Show.print(h);
    boolean ok = java.util.Arrays.equals(h.latest().sha256(), proposed.sha256());

    System.out.println();
    System.out.println(
        "A relying party follows it from the genesis bundle: ledgerpki trust update --node "
            + node
            + " --trust "
            + files.trust());
    int code =
        new CommandLine(new LedgerPki())
            .execute("trust", "update", "--node", node, "--trust", files.trust().toString());
    TrustBundle updated = TrustBundle.parse(Files.readString(files.trust()));
    ok &= code == ExitCodes.OK && Long.valueOf(proposed.serial()).equals(updated.policySerial());

    String hex = Hex.encode(org.ledgerpki.core.Sha256.hash(sample));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(node + "/v1/status/" + hex))
                .timeout(DemoPlan.REQUEST_TIMEOUT)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    try {
      StatusVerifier.Verified v =
          new StatusVerifier(updated, Duration.ofSeconds(60))
              .verify(StatusAnswer.fromJson(r.body()), sample, Instant.now());
      System.out.printf(
          Locale.ROOT,
          "  an answer verified with the updated bundle (policy serial %d): %s, checkpoint %d%n",
          updated.policySerial(),
          v.status(),
          v.checkpoint().checkpoint().size());
    } catch (Exception e) {
      System.out.println("  the answer did NOT verify with the updated bundle: " + e.getMessage());
      ok = false;
    }
    return ok;
  }

  private java.security.PrivateKey key(String id) {
    return g.members().stream()
        .filter(m -> m.id().equals(id))
        .findFirst()
        .orElseThrow()
        .submission()
        .getPrivate();
  }

  private boolean awaitSerial(HttpClient http, long serial, int timeoutSeconds)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(node + "/v1/policy"))
                    .timeout(DemoPlan.REQUEST_TIMEOUT)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200
            && PolicyClient.parse(r.body(), "/v1/policy").serial() >= serial) {
          return true;
        }
      } catch (java.io.IOException | org.ledgerpki.core.MalformedInputException e) {
        // not yet
      }
      Thread.sleep(200);
    }
    return false;
  }
}
