package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.Approval;
import org.ledgerpki.core.policy.GovernanceException;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.PolicyException;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.verify.TrustBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ledgerpki trust}: keep a relying party's trust bundle current with the consortium. */
@Command(
    name = "trust",
    description = "Keep a trust bundle (trust.json) current with the consortium's policy chain.",
    mixinStandardHelpOptions = true,
    subcommands = {TrustCommand.Update.class})
public final class TrustCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "say what to do: 'ledgerpki trust update --node URL --trust FILE'");
  }

  /**
   * Follows the policy chain from the bundle's policy to the newest one an inquiry node holds,
   * verifying each step offline, and rewrites the bundle.
   */
  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = {
        "Fetch the policy changes after the bundle's policy from an inquiry node, verify each step",
        "offline against the previous policy's members (serial, hashes, log identity, governance",
        "quorum of approvals), derive the bundle of the newest policy and rewrite FILE atomically.",
        "A chain that does not verify is refused (exit 6) and FILE is left as it was.",
        "Exit codes: 0 updated or already current, 6 a step did not verify, 7 the node could not",
        "be asked, 2 bad usage."
      })
  static final class Update implements Callable<Integer> {
    @Option(
        names = "--node",
        defaultValue = "${env:LEDGERPKI_INQUIRY_URL:-http://localhost:8080}",
        description =
            "Inquiry node base URL (env LEDGERPKI_INQUIRY_URL; default: ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--trust", required = true, description = "The trust bundle to update.")
    Path trust;

    @Override
    public Integer call() {
      TrustBundle bundle;
      try {
        bundle = TrustBundle.parse(Files.readString(trust, StandardCharsets.UTF_8));
      } catch (IOException e) {
        return usage("cannot read the trust bundle " + trust + ": " + e.getMessage());
      } catch (MalformedInputException e) {
        return usage(trust + " is not a trust bundle: " + e.getMessage());
      }
      PolicyClient client = new PolicyClient(node);
      try {
        return update(client, bundle);
      } catch (PolicyClient.Unavailable e) {
        System.err.println(
            "ledgerpki trust update: cannot get the policy chain: " + e.getMessage());
        return ExitCodes.UNAVAILABLE;
      } catch (IOException e) {
        System.err.println(
            "ledgerpki trust update: cannot reach the inquiry node at "
                + node
                + ": "
                + e.getMessage());
        return ExitCodes.UNAVAILABLE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCodes.UNAVAILABLE;
      }
    }

    private int update(PolicyClient client, TrustBundle bundle)
        throws IOException, InterruptedException {
      PolicyClient.Fetched newest;
      try {
        newest = client.newest();
      } catch (MalformedInputException e) {
        return refuse("the node's newest policy is malformed: " + e.getMessage());
      }
      long from = bundle.policySerial() == null ? 1 : bundle.policySerial();
      if (newest.serial() < from) {
        return refuse(
            "the node's newest policy is serial "
                + newest.serial()
                + ", older than the bundle's serial "
                + from
                + ": the node is behind (or lying); ask another node");
      }
      // The base: the bundle's own policy, pinned by its hash (or, for a bundle that names no
      // policy, by the trust it holds, which must be exactly what the genesis policy implies).
      TrustPolicy base;
      try {
        base = base(client, bundle, from);
      } catch (MalformedInputException e) {
        return refuse("the base policy, serial " + from + ": " + e.getMessage());
      }
      if (base == null) {
        return ExitCodes.NOT_VERIFIED;
      }
      PolicyHistory history = PolicyHistory.genesis(base);
      for (long s = from + 1; s <= newest.serial(); s++) {
        PolicyClient.Fetched f;
        try {
          f = s == newest.serial() ? newest : client.serial(s);
        } catch (MalformedInputException e) {
          return refuse(
              "step "
                  + (s - 1)
                  + " -> "
                  + s
                  + ": the node's answer is malformed: "
                  + e.getMessage());
        }
        try {
          history = history.extend(change(f), Signatures.defaults());
        } catch (GovernanceException e) {
          return refuse("step " + (s - 1) + " -> " + s + " does not verify: " + e.getMessage());
        }
      }
      TrustPolicy latest = history.latest();
      // The relying party's own setting (ADR 0010) is not the policy's: keep it.
      TrustBundle updated =
          TrustBundle.fromPolicy(latest).withStatusCosignatures(bundle.statusCosignatures());
      if (bundle.policySerial() != null
          && bundle.policySerial() == latest.serial()
          && updated.equals(bundle)) {
        System.out.println(
            "trust bundle "
                + trust
                + " is current: policy serial "
                + latest.serial()
                + " (sha256 "
                + Hex.encode(latest.sha256())
                + "), the newest at "
                + client.node());
        return ExitCodes.OK;
      }
      write(trust, updated.toJson());
      System.out.println(
          "updated "
              + trust
              + ": policy serial "
              + (bundle.policySerial() == null ? "unknown (taken as " + from + ")" : from)
              + " -> "
              + latest.serial()
              + " (sha256 "
              + Hex.encode(latest.sha256())
              + "), "
              + (latest.serial() - from)
              + " change(s) verified");
      List<String> diff = new ArrayList<>(PolicyDiff.lines(base, latest));
      diff.addAll(bundleChanges(bundle, updated));
      if (diff.isEmpty()) {
        System.out.println("  nothing a relying party trusts changed");
      }
      for (String line : diff) {
        System.out.println("  " + line);
      }
      return ExitCodes.OK;
    }

    /**
     * The bundle's policy, fetched and pinned: its hash must be the bundle's; a bundle that names
     * no policy must trust exactly what the fetched genesis policy implies. Null (after saying why)
     * if it is not the bundle's.
     */
    private TrustPolicy base(PolicyClient client, TrustBundle bundle, long serial)
        throws IOException, InterruptedException, MalformedInputException {
      PolicyClient.Fetched f = client.serial(serial);
      TrustPolicy p;
      try {
        p =
            TrustPolicyReader.parse(
                f.document(), "policy serial " + serial + " from " + client.node());
      } catch (PolicyException e) {
        refuse(
            "the node's policy of serial " + serial + " is not a valid policy: " + e.getMessage());
        return null;
      }
      if (bundle.policySha256() != null) {
        if (!Hex.encode(p.sha256()).equals(bundle.policySha256())) {
          refuse(
              "the node's policy of serial "
                  + serial
                  + " has sha256 "
                  + Hex.encode(p.sha256())
                  + ", the bundle names "
                  + bundle.policySha256()
                  + ": not the policy this bundle was derived from");
          return null;
        }
      } else if (!TrustBundle.fromPolicy(p)
          .withStatusCosignatures(bundle.statusCosignatures())
          .sameTrust(bundle)) {
        refuse(
            "the bundle names no policy"
                + (bundle.policySerial() == null ? "" : " hash")
                + ", and the trust it holds (keys, quorum, maxAgeSeconds) is not what the node's"
                + " policy of serial "
                + serial
                + " implies: it cannot be tied to the chain; get a bundle from the consortium"
                + " out of band");
        return null;
      }
      return p;
    }

    private int refuse(String reason) {
      System.err.println(
          "ledgerpki trust update: refused: "
              + reason.replace('\n', ' ')
              + "; "
              + trust
              + " is unchanged");
      return ExitCodes.NOT_VERIFIED;
    }

    private static int usage(String message) {
      System.err.println("ledgerpki trust update: " + message);
      return ExitCodes.USAGE;
    }
  }

  /** The change a served policy claims to be, for {@link PolicyHistory#extend}. */
  public static PolicyChange change(PolicyClient.Fetched f) throws GovernanceException {
    if (f.previousSha256() == null) {
      throw new GovernanceException(
          GovernanceException.Reason.WRONG_PREVIOUS,
          "policy serial " + f.serial() + " is served without a previous policy hash");
    }
    List<Approval> approvals = new ArrayList<>();
    for (PolicyClient.Approval a : f.approvals()) {
      approvals.add(new Approval(a.member(), a.signedAt().toEpochMilli(), a.signature()));
    }
    return new PolicyChange(
        f.serial(),
        f.document(),
        f.sha256(),
        f.previousSha256(),
        f.effectiveIndex(),
        f.effectiveStatusSequence(),
        approvals,
        0);
  }

  /** What changed in the bundle itself: logs, cosigners, m, maxAgeSeconds. */
  static List<String> bundleChanges(TrustBundle before, TrustBundle after) {
    List<String> out = new ArrayList<>();
    List<TrustBundle.Cosigner> added = new ArrayList<>(after.cosigners());
    added.removeAll(before.cosigners());
    List<TrustBundle.Cosigner> removed = new ArrayList<>(before.cosigners());
    removed.removeAll(after.cosigners());
    for (TrustBundle.Cosigner c : added) {
      out.add("bundle: cosigner key added: " + c.vkey());
    }
    for (TrustBundle.Cosigner c : removed) {
      out.add("bundle: cosigner key removed: " + c.vkey());
    }
    if (before.cosignerQuorum() != after.cosignerQuorum()) {
      out.add(
          "bundle: cosignerQuorum " + before.cosignerQuorum() + " -> " + after.cosignerQuorum());
    }
    if (before.maxAgeSeconds() != after.maxAgeSeconds()) {
      out.add("bundle: maxAgeSeconds " + before.maxAgeSeconds() + " -> " + after.maxAgeSeconds());
    }
    if (!new java.util.HashSet<>(before.logs()).equals(new java.util.HashSet<>(after.logs()))) {
      out.add("bundle: log keys " + before.logs() + " -> " + after.logs());
    }
    return out;
  }

  /** Writes {@code text} to {@code file} atomically: a temporary file beside it, then a rename. */
  static void write(Path file, String text) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
