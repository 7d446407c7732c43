package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ledgerpki.core.policy.PolicyException;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.schemas.config.ConfigException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every member command of {@code ledgerpki policy} (propose, approve) shares: who acts, with
 * which key, on which ledger.
 */
abstract class PolicyMemberCommand implements Callable<Integer> {
  @Option(names = "--org", required = true, description = "The acting member's id.")
  String org;

  @Option(
      names = "--key",
      description =
          "Its submission private key (PKCS#8 PEM). Default: CONSORTIUM/ORG/submission.key.pem.")
  Path key;

  @Option(
      names = "--consortium",
      description = "A directory written by 'ledgerpki keygen consortium' or the demo.")
  Path consortium;

  @Option(
      names = "--genesis",
      description =
          "The genesis policy file every service is configured with. Default:"
              + " CONSORTIUM/policy.yaml.")
  Path genesis;

  @Mixin KafkaOptions kafka;

  abstract String name();

  abstract int act(TrustPolicy current, KeyPair kp, GovernanceLedger topics) throws Exception;

  @Override
  public Integer call() throws Exception {
    KeyPair kp;
    try {
      kp = ConsortiumFiles.memberSubmissionKey(key, consortium, org);
    } catch (ConfigException e) {
      return usage(e.getMessage());
    }
    Path g = PolicyCommand.genesisFile(genesis, consortium);
    if (g == null) {
      return usage("give the genesis policy with --genesis FILE, or --consortium DIR");
    }
    TrustPolicy genesisPolicy;
    try {
      genesisPolicy = PolicyCommand.readGenesis(g);
    } catch (IOException e) {
      return usage("cannot read the genesis policy " + g + ": " + e.getMessage());
    } catch (PolicyException e) {
      return usage("the genesis policy is not valid: " + e.getMessage());
    }
    try (GovernanceTopics topics =
        new GovernanceTopics(kafka.bootstrap, kafka.registry, kafka.topicPrefix)) {
      GovernanceTopics.Chain chain = topics.chain(genesisPolicy);
      for (String r : chain.refused()) {
        System.err.println(
            "ledgerpki "
                + name()
                + ": warning: "
                + topics.policyTopic()
                + " holds a change that does not verify, ignored: "
                + r);
      }
      TrustPolicy current = chain.history().latest();
      Optional<String> fault = PolicyCommand.signerFault(current, org, kp);
      if (fault.isPresent()) {
        return usage(fault.get());
      }
      return act(current, kp, topics);
    } catch (IllegalStateException e) {
      System.err.println(
          "ledgerpki "
              + name()
              + ": "
              + e.getMessage()
              + " (check --bootstrap, --registry and --topic-prefix)");
      return ExitCodes.UNAVAILABLE;
    }
  }

  int usage(String message) {
    System.err.println("ledgerpki " + name() + ": " + message);
    return ExitCodes.USAGE;
  }

  static void printDiff(TrustPolicy from, TrustPolicy to) {
    List<String> lines = PolicyDiff.lines(from, to);
    System.out.println("Changes from policy serial " + from.serial() + " to " + to.serial() + ":");
    if (lines.isEmpty()) {
      System.out.println("  (none besides the serial)");
    }
    lines.forEach(l -> System.out.println("  " + l));
  }
}
