package io.surprisal.sim;

import java.util.Locale;

/**
 * What happens to a normal user on one scored day. {@link #TRAVEL}, {@link #NEW_PHONE} and {@link
 * #FORGOT_PASSWORD} are hard negatives (the user stays normal); {@link #NOVELTY} and {@link
 * #TAKEOVER} and {@link #IMPOSSIBLE_TRAVEL} (a login from a city thousands of km away minutes
 * after a visit from home, as a hijacked session or stolen credentials used abroad give), {@link
 * #GIFT_CARDS}, {@link #LONG_SESSION} and {@link #FAST_PACE} are injected attacks (the user counts as
 * positive).
 */
public enum Scenario {
  NONE(0, false),
  TRAVEL(0.02, false),
  NEW_PHONE(0.02, false),
  FORGOT_PASSWORD(0.01, false),
  NOVELTY(0.005, true),
  TAKEOVER(0.005, true),
  IMPOSSIBLE_TRAVEL(0.005, true),
  /**
   * A hijacked session buys gift cards: from the account's own place and device, a login and a few
   * purchases of 15 to 40 times the user's usual amount. Only the amounts give it away. The account
   * has bought before: its first visit buys three things at its usual amounts.
   */
  GIFT_CARDS(0.005, true),
  /**
   * A hijacked or scripted session that goes on: from the account's own place and device, a login
   * and a walk of the account's own chain that neither ends nor buys nor sells until it has 8 to 30
   * times the account's median events per visit, at the account's own pace (so it also lasts many
   * times its usual visit). Only its length gives it away.
   */
  LONG_SESSION(0.005, true),
  /**
   * Ordinary actions at a script's pace: from the account's own place and device, a login and a
   * walk of the account's own chain of about its usual length, with gaps between actions 2.5 to
   * 4.5 times shorter than the account's median gap, yet never faster on average than {@link
   * Visit#FAST_PACE_MIN_MEAN_GAP_SECONDS} (under the {@code velocity} rule's rate) and as
   * irregular as a person's. Only the pace gives it away.
   */
  FAST_PACE(0.005, true);

  private final double shareOfNormalUsers;
  private final boolean attack;

  Scenario(double shareOfNormalUsers, boolean attack) {
    this.shareOfNormalUsers = shareOfNormalUsers;
    this.attack = attack;
  }

  /** Default share of normal users that get this scenario ({@link WorldKnobs} may set another). */
  public double shareOfNormalUsers() {
    return shareOfNormalUsers;
  }

  /** Whether the scenario is an injected attack (a positive), rather than a hard negative. */
  public boolean attack() {
    return attack;
  }

  /** The label written in the labels file, e.g. {@code forgot_password}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
