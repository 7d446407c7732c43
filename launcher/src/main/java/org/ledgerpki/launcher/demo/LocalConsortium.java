package org.ledgerpki.launcher.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.cosign.CosignService;
import org.ledgerpki.issuance.IssuanceService;
import org.ledgerpki.schemas.config.Settings;
import org.ledgerpki.streams.ServiceConfig;
import org.ledgerpki.validator.ValidatorOptions;
import org.ledgerpki.validator.ValidatorService;

/**
 * A whole consortium's ledger services in this JVM: each member's validator and cosigner (with the
 * shared aggregator), and the issuance stream. Each service gets its own configuration, exactly as
 * if it ran on its own machine; only the process is shared. Used by the demo and the integration
 * tests.
 */
public final class LocalConsortium implements AutoCloseable {
  private final List<AutoCloseable> services = new ArrayList<>();

  /** Where the cluster is and how the topics are named. */
  public record Connection(
      String bootstrap, String registryUrl, String topicPrefix, Path stateDir) {}

  private LocalConsortium() {}

  /** The configuration one service would load from its file and environment. */
  public static ServiceConfig config(Connection c, Path policyFile, String stateName) {
    return config(c, policyFile, stateName, Map.of());
  }

  /**
   * As {@link #config(Connection, Path, String)}, with more settings, e.g. {@code
   * ledgerpki.http.port}.
   */
  public static ServiceConfig config(
      Connection c, Path policyFile, String stateName, Map<String, String> more) {
    Map<String, String> overrides = new HashMap<>(more);
    overrides.put(ServiceConfig.BOOTSTRAP, c.bootstrap());
    overrides.put(ServiceConfig.REGISTRY, c.registryUrl());
    overrides.put(ServiceConfig.POLICY, policyFile.toString());
    overrides.put(ServiceConfig.PREFIX, c.topicPrefix());
    overrides.put(ServiceConfig.STATE_DIR, c.stateDir().resolve(stateName).toString());
    return ServiceConfig.from(
        Settings.load(ServiceConfig.defaults(), null, Map.of(), overrides, ServiceConfig.keys()));
  }

  /**
   * Starts every member's validator and cosigner and the issuance stream, and waits until all of
   * them run.
   *
   * @param log the log's keys; null to run without the issuance stream (a test may run it
   *     elsewhere)
   */
  public static LocalConsortium start(
      Connection c, Path policyFile, LogKeys log, List<MemberKeys> members, Duration timeout)
      throws InterruptedException {
    return start(c, policyFile, log, members, EnumSet.allOf(Service.class), timeout);
  }

  /** The kinds of service {@link #start} can run. */
  public enum Service {
    VALIDATORS,
    ISSUANCE,
    COSIGNERS
  }

  /** As {@link #start(Connection, Path, LogKeys, List, Duration)}, running only {@code which}. */
  public static LocalConsortium start(
      Connection c,
      Path policyFile,
      LogKeys log,
      List<MemberKeys> members,
      Set<Service> which,
      Duration timeout)
      throws InterruptedException {
    return start(c, policyFile, log, members, which, Map.of(), timeout);
  }

  /**
   * As {@link #start(Connection, Path, LogKeys, List, Set, Duration)}, with {@code settings} given
   * to every service (as {@link #config(Connection, Path, String, Map)} does), e.g. {@code
   * ledgerpki.streams.commit-interval} for all of them.
   */
  public static LocalConsortium start(
      Connection c,
      Path policyFile,
      LogKeys log,
      List<MemberKeys> members,
      Set<Service> which,
      Map<String, String> settings,
      Duration timeout)
      throws InterruptedException {
    LocalConsortium lc = new LocalConsortium();
    try {
      List<org.ledgerpki.streams.StreamsRuntime> runtimes = new ArrayList<>();
      for (MemberKeys m : members) {
        if (which.contains(Service.VALIDATORS) && m.roles().contains(Role.VALIDATOR)) {
          ValidatorService v =
              ValidatorService.start(
                  config(c, policyFile, "validator-" + m.id(), settings),
                  m.id(),
                  m.endorsement(),
                  ValidatorOptions.defaults());
          lc.services.add(v);
          runtimes.add(v.runtime());
        }
      }
      if (log != null && which.contains(Service.ISSUANCE)) {
        IssuanceService issuance =
            IssuanceService.start(config(c, policyFile, "issuance", settings), log);
        lc.services.add(issuance);
        runtimes.add(issuance.runtime());
      }
      for (MemberKeys m : members) {
        if (which.contains(Service.COSIGNERS) && m.roles().contains(Role.COSIGNER)) {
          CosignService cs =
              CosignService.start(config(c, policyFile, "cosigner-" + m.id(), settings), m);
          lc.services.add(cs);
          if (!cs.awaitRunning(timeout)) {
            throw new IllegalStateException(
                "the cosigner of " + m.id() + " did not start within " + timeout);
          }
        }
      }
      for (var rt : runtimes) {
        if (!rt.awaitRunning(timeout)) {
          throw new IllegalStateException(
              rt.name()
                  + " did not start within "
                  + timeout
                  + (rt.failure() != null ? ": " + rt.failure() : ""));
        }
      }
      return lc;
    } catch (RuntimeException | InterruptedException e) {
      lc.close();
      throw e;
    }
  }

  public int size() {
    return services.size();
  }

  @Override
  public void close() {
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (Exception e) {
        // Closing the rest matters more than one failure here.
      }
    }
    services.clear();
  }
}
