package org.ledgerpki.core.policy;

/** Which certificate profile a consortium applies; named in its trust policy. */
public enum ProfileId {
  /** The seed rules of DESIGN.md. */
  SEED("seed"),
  /** 3GPP TS 33.310 clause 6.1.3c NF certificates. */
  TS_33_310("3gpp-ts-33.310");

  private final String configName;

  ProfileId(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }
}
