package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.Approval;
import org.ledgerpki.core.policy.GovernanceException;
import org.ledgerpki.core.policy.GovernanceQuorum;
import org.ledgerpki.core.policy.PolicyChain;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.PolicyException;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Governance;
import org.ledgerpki.schemas.avro.GovernanceAct;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ledgerpki policy propose | approve | show}: governance on the ledger (docs/governance.md).
 * A member proposes the whole next policy, the current members approve it, and the issuance stream
 * sequences the change once the governance quorum did.
 */
@Command(
    name = "policy",
    description = "Propose, approve and show changes of the consortium's trust policy.",
    mixinStandardHelpOptions = true,
    subcommands = {
      PolicyCommand.Propose.class,
      PolicyCommand.Approve.class,
      PolicyCommand.Show.class
    })
public final class PolicyCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "say what to do: 'ledgerpki policy propose|approve|show'");
  }

  /** Where the genesis policy is: {@code --genesis FILE} or {@code CONSORTIUM/policy.yaml}. */
  static Path genesisFile(Path genesis, Path consortium) {
    return genesis != null
        ? genesis
        : consortium != null ? new ConsortiumFiles(consortium).policy() : null;
  }

  /** Reads the genesis policy from its file's exact bytes. */
  static TrustPolicy readGenesis(Path file) throws IOException, PolicyException {
    return TrustPolicyReader.parse(Files.readAllBytes(file), file.toString());
  }

  /**
   * Why {@code key} may not act for {@code org} under {@code current}, or empty if it may: {@code
   * org} must be a member and the key one of its submission keys in that policy.
   */
  static Optional<String> signerFault(TrustPolicy current, String org, KeyPair key) {
    Optional<TrustPolicy.Member> m = current.member(org);
    if (m.isEmpty()) {
      return Optional.of(
          "'"
              + org
              + "' is not a member of the current policy (serial "
              + current.serial()
              + "); its members are "
              + current.members().stream().map(TrustPolicy.Member::id).toList());
    }
    byte[] mine = key.getPublic().getEncoded();
    for (java.security.PublicKey k : m.get().submissionKeys()) {
      if (Arrays.equals(k.getEncoded(), mine)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "the key is not one of "
            + org
            + "'s "
            + m.get().submissionKeys().size()
            + " submission key(s) in the current policy (serial "
            + current.serial()
            + "): an approval signed with it would not count");
  }

  /** A proposal found on {@code ledger.governance}: the policy, who proposed it, who approved. */
  record Proposal(TrustPolicy policy, String proposer, List<Approval> approvals) {}

  /**
   * The proposals of serial {@code serial} that follow {@code current} (valid documents naming its
   * hash), by policy hash, each with every approval of it found on the topic (the proposer's
   * included). Acts that cannot be read or do not follow {@code current} are described in {@code
   * ignored}.
   */
  static Map<String, Proposal> proposals(
      TrustPolicy current, long serial, List<GovernanceAct> acts, List<String> ignored) {
    Map<String, Proposal> out = new LinkedHashMap<>();
    for (GovernanceAct a : acts) {
      if (a.getSerial() != serial || a.getDocument() == null) {
        continue;
      }
      try {
        TrustPolicy p =
            PolicyChain.checkProposal(
                current,
                Evidence.bytes(a.getDocument()),
                Evidence.bytes(a.getPreviousPolicySha256()));
        out.putIfAbsent(Hex.encode(p.sha256()), new Proposal(p, a.getMember(), new ArrayList<>()));
      } catch (GovernanceException | RuntimeException e) {
        ignored.add(
            "a proposal by " + a.getMember() + " (act " + a.getActId() + "): " + e.getMessage());
      }
    }
    for (GovernanceAct a : acts) {
      Proposal p = out.get(Hex.encode(Evidence.bytes(a.getPolicySha256())));
      if (a.getSerial() == serial
          && p != null
          && Arrays.equals(Evidence.bytes(a.getPreviousPolicySha256()), current.sha256())) {
        p.approvals().add(Governance.approval(a));
      }
    }
    return out;
  }

  @Command(
      name = "propose",
      mixinStandardHelpOptions = true,
      description = {
        "Propose FILE (the whole next policy, serial = current + 1) as the consortium's trust",
        "policy. The proposal carries your approval; it takes effect once the governance quorum",
        "of the current members approved it ('ledgerpki policy approve SERIAL')."
      })
  static final class Propose extends PolicyMemberCommand {
    @Parameters(paramLabel = "FILE", description = "The proposed policy (YAML or JSON).")
    Path file;

    @Override
    String name() {
      return "policy propose";
    }

    @Override
    int act(TrustPolicy current, KeyPair kp, GovernanceLedger topics) throws Exception {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        return usage("cannot read " + file + ": " + e.getMessage());
      }
      TrustPolicy proposed;
      try {
        proposed = PolicyChain.checkProposal(current, bytes, current.sha256());
      } catch (GovernanceException e) {
        return usage(
            file
                + " cannot follow the current policy (serial "
                + current.serial()
                + ", sha256 "
                + Hex.encode(current.sha256())
                + "): "
                + e.getMessage());
      }
      printDiff(current, proposed);
      GovernanceAct act =
          Governance.act(current, proposed, org, kp.getPrivate(), true, Instant.now());
      long offset = topics.write(act);
      System.out.println(
          "Proposed policy serial "
              + proposed.serial()
              + " (sha256 "
              + Hex.encode(proposed.sha256())
              + ") as '"
              + org
              + "', "
              + topics.governanceTopic()
              + " offset "
              + offset
              + ".");
      System.out.println(
          "It takes effect once "
              + current.governanceQuorum()
              + " of the "
              + current.members().size()
              + " current members approved it (your proposal counts as your approval):");
      System.out.println(
          "  ledgerpki policy approve " + proposed.serial() + " --org MEMBER --key KEY.pem");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = {
        "Approve the proposal of SERIAL found on ledger.governance: shows what it changes and who",
        "approved it so far, then signs the approval statement with your submission key."
      })
  static final class Approve extends PolicyMemberCommand {
    @Parameters(paramLabel = "SERIAL", description = "The proposed policy's serial.")
    String serial;

    @Option(
        names = "--sha256",
        description = "The proposal's policy hash (hex), when several proposals of SERIAL exist.")
    String sha256;

    @Override
    String name() {
      return "policy approve";
    }

    @Override
    int act(TrustPolicy current, KeyPair kp, GovernanceLedger topics) throws Exception {
      long s;
      try {
        s = Long.parseLong(serial);
      } catch (NumberFormatException e) {
        return usage("SERIAL must be a decimal number, got '" + serial + "'");
      }
      if (s <= current.serial()) {
        return usage(
            "policy serial "
                + s
                + " is already in force or past: the current policy is serial "
                + current.serial()
                + "; the next proposal would be serial "
                + (current.serial() + 1));
      }
      if (s != current.serial() + 1) {
        return usage(
            "serial "
                + s
                + " cannot be approved yet: the current policy is serial "
                + current.serial()
                + ", so the next is "
                + (current.serial() + 1));
      }
      List<String> ignored = new ArrayList<>();
      Map<String, Proposal> found = proposals(current, s, topics.acts(), ignored);
      ignored.forEach(i -> System.err.println("ledgerpki policy approve: ignored " + i));
      if (found.isEmpty()) {
        return usage(
            "no proposal of serial "
                + s
                + " following the current policy (sha256 "
                + Hex.encode(current.sha256())
                + ") is on "
                + topics.governanceTopic());
      }
      Proposal p;
      if (sha256 != null) {
        p = found.get(sha256.toLowerCase(java.util.Locale.ROOT));
        if (p == null) {
          return usage(
              "no proposal of serial "
                  + s
                  + " has sha256 "
                  + sha256
                  + "; there are "
                  + found.keySet());
        }
      } else if (found.size() > 1) {
        return usage(
            found.size()
                + " different proposals of serial "
                + s
                + " exist; choose one with --sha256: "
                + found.entrySet().stream()
                    .map(e -> e.getKey() + " (by " + e.getValue().proposer() + ")")
                    .toList());
      } else {
        p = found.values().iterator().next();
      }
      TrustPolicy proposed = p.policy();
      System.out.println(
          "Proposal of policy serial "
              + s
              + " by "
              + p.proposer()
              + " (sha256 "
              + Hex.encode(proposed.sha256())
              + ")");
      printDiff(current, proposed);
      GovernanceQuorum.Tally before =
          GovernanceQuorum.tally(
              current, s, proposed.sha256(), p.approvals(), Signatures.defaults());
      System.out.println("Approvals so far: " + before.shortfall());
      if (before.counted().contains(org)) {
        System.out.println("'" + org + "' has already approved it; nothing written.");
        return ExitCodes.OK;
      }
      GovernanceAct act =
          Governance.act(current, proposed, org, kp.getPrivate(), false, Instant.now());
      long offset = topics.write(act);
      int now = before.counted().size() + 1;
      System.out.println(
          "Approved as '"
              + org
              + "' ("
              + topics.governanceTopic()
              + " offset "
              + offset
              + "): "
              + now
              + " of "
              + before.quorum()
              + (now >= before.quorum()
                  ? "; the quorum is reached: the issuance stream sequences the change"
                  : "; more approvals are needed"));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Show the current policy and its chain of changes, verified step by step, with what each",
        "change did: from an inquiry node (--node URL) or from ledger.policy (--genesis FILE or",
        "--consortium DIR, and the Kafka options)."
      })
  public static final class Show implements Callable<Integer> {
    @Option(names = "--node", description = "An inquiry node's base URL to read the chain from.")
    String node;

    @Option(names = "--consortium", description = "A directory with the genesis policy.yaml.")
    Path consortium;

    @Option(
        names = "--genesis",
        description =
            "The genesis policy file; with --node it pins the served genesis policy by hash.")
    Path genesis;

    @Mixin KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
      Path g = genesisFile(genesis, consortium);
      TrustPolicy pinned = null;
      if (g != null) {
        try {
          pinned = readGenesis(g);
        } catch (IOException e) {
          return usage("cannot read the genesis policy " + g + ": " + e.getMessage());
        } catch (PolicyException e) {
          return usage("the genesis policy is not valid: " + e.getMessage());
        }
      }
      PolicyHistory history;
      if (node != null) {
        try {
          history = fromNode(pinned);
        } catch (GovernanceException e) {
          System.err.println("ledgerpki policy show: the chain does not verify: " + e.getMessage());
          return ExitCodes.NOT_VERIFIED;
        } catch (MalformedInputException | PolicyException e) {
          System.err.println("ledgerpki policy show: " + e.getMessage());
          return ExitCodes.NOT_VERIFIED;
        } catch (IOException e) {
          System.err.println(
              "ledgerpki policy show: cannot read the chain from " + node + ": " + e.getMessage());
          return ExitCodes.UNAVAILABLE;
        }
        if (history == null) {
          return ExitCodes.NOT_VERIFIED;
        }
      } else {
        if (pinned == null) {
          return usage(
              "give --node URL, or the genesis policy (--genesis FILE or --consortium DIR)");
        }
        try (GovernanceTopics topics =
            new GovernanceTopics(kafka.bootstrap, kafka.registry, kafka.topicPrefix)) {
          GovernanceTopics.Chain chain = topics.chain(pinned);
          chain.refused().forEach(r -> System.err.println("ledgerpki policy show: refused " + r));
          history = chain.history();
        } catch (IllegalStateException e) {
          System.err.println("ledgerpki policy show: " + e.getMessage());
          return ExitCodes.UNAVAILABLE;
        }
      }
      print(history);
      return ExitCodes.OK;
    }

    private PolicyHistory fromNode(TrustPolicy pinned)
        throws IOException,
            InterruptedException,
            MalformedInputException,
            PolicyException,
            GovernanceException {
      PolicyClient client = new PolicyClient(node);
      PolicyClient.Fetched newest = client.newest();
      long first = pinned == null ? 1 : pinned.serial();
      PolicyClient.Fetched g = client.serial(first);
      TrustPolicy genesisPolicy = TrustPolicyReader.parse(g.document(), "policy serial " + first);
      if (pinned != null && !Arrays.equals(pinned.sha256(), genesisPolicy.sha256())) {
        System.err.println(
            "ledgerpki policy show: the node's policy of serial "
                + first
                + " has sha256 "
                + Hex.encode(genesisPolicy.sha256())
                + ", the genesis file "
                + Hex.encode(pinned.sha256()));
        return null;
      }
      if (pinned == null) {
        System.out.println(
            "(the genesis policy is the node's; give --genesis FILE to pin it by hash)");
      }
      PolicyHistory h = PolicyHistory.genesis(genesisPolicy);
      for (long s = first + 1; s <= newest.serial(); s++) {
        PolicyChange c = TrustCommand.change(s == newest.serial() ? newest : client.serial(s));
        h = h.extend(c, Signatures.defaults());
      }
      return h;
    }

    public static void print(PolicyHistory history) {
      TrustPolicy prev = null;
      for (PolicyHistory.Entry e : history.entries()) {
        TrustPolicy p = e.policy();
        System.out.println(
            "serial "
                + p.serial()
                + "  sha256 "
                + Hex.encode(p.sha256())
                + (e.change() == null
                    ? "  genesis"
                    : "  in force from index "
                        + e.effectiveIndex()
                        + " / status "
                        + e.effectiveStatusSequence()
                        + ", approved by "
                        + e.change().approvals().stream().map(Approval::member).toList()));
        if (prev != null) {
          List<String> lines = PolicyDiff.lines(prev, p);
          if (lines.isEmpty()) {
            System.out.println("    (no change besides the serial)");
          }
          lines.forEach(l -> System.out.println("    " + l));
        }
        prev = p;
      }
      TrustPolicy now = history.latest();
      System.out.println(
          "current: "
              + now
              + ", governance quorum "
              + now.governanceQuorum()
              + ", members "
              + now.members().stream().map(TrustPolicy.Member::id).toList());
    }

    private static int usage(String message) {
      System.err.println("ledgerpki policy show: " + message);
      return ExitCodes.USAGE;
    }
  }
}
