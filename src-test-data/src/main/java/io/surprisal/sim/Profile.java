package io.surprisal.sim;

import java.util.Locale;

/**
 * The six user profiles of the seed notebook (cerebraljam/find_outliers_in_logs, blackbox.py): their
 * pacing, start state, population share and Markov chain. The figures are the notebook's; the code
 * is ours.
 */
public enum Profile {
  BUYER(40, "home", 0.49, false, """
      home: login:success .964, login:fail .03, password_reset .005, end .001
      login:success: view_item:success .978, view_profile .001, buy_item:success .02, buy_item:fail .001
      login:fail: login:success .9, login:fail .08, password_reset .02
      password_reset: login:success .9, login:fail .09, end .01
      logout: end .99, home .01
      view_item:success: comment:success .05, view_item:success .65, buy_item:success .299, buy_item:fail .001
      buy_item:success: view_item:success .409, buy_item:success .2, buy_item:fail .001, logout .29, end .1
      buy_item:fail: buy_item:fail .01, view_profile .2, payment_modify:success .59, payment_modify:fail .1, logout .05, end .05
      view_profile: update_email:success .1, update_email:fail .05, update_address:success .2, update_address:fail .05, payment_modify:success .1, payment_modify:fail .05, view_profile .05, view_item:success .4
      update_email:success: view_profile 1
      update_email:fail: update_email:success .9, update_email:fail .01, view_profile .09
      update_address:success: view_profile 1
      update_address:fail: update_address:success .9, update_address:fail .01, view_profile .09
      payment_modify:success: view_profile 1
      payment_modify:fail: payment_modify:success .9, payment_modify:fail .01, view_profile .09
      comment:success: view_item:success .6, buy_item:success .399, buy_item:fail .001
      end:
      """),
  MERCHANT(50, "home", 0.49, false, """
      home: login:success .97, login:fail .024, password_reset .005, end .001
      login:success: view_item:success .978, view_profile .001, sell_item:success .02, sell_item:fail .001
      login:fail: login:success .9, login:fail .08, password_reset .02
      password_reset: login:success .9, login:fail .09, end .01
      logout: end .99, home .01
      view_item:success: view_item:success .4, sell_item:success .599, sell_item:fail .001
      sell_item:success: view_item:success .4, sell_item:success .399, sell_item:fail .001, logout .1, end .1
      sell_item:fail: sell_item:fail .1, view_profile .2, bank_modify:success .5, bank_modify:fail .1, logout .05, end .05
      view_profile: update_email:success .1, update_email:fail .05, update_address:success .2, update_address:fail .05, bank_modify:success .1, bank_modify:fail .05, view_profile .05, view_item:success .4
      update_email:success: view_profile 1
      update_email:fail: update_email:success .9, update_email:fail .01, view_profile .09
      update_address:success: view_profile 1
      update_address:fail: update_address:success .9, update_address:fail .01, view_profile .09
      bank_modify:success: view_profile 1
      bank_modify:fail: bank_modify:success .9, bank_modify:fail .01, view_profile .09
      end:
      """),
  BOT(5, "home", 0.006, true, """
      home: login:success .95, login:fail .05
      login:success: view_item:success .95, view_item:fail .05
      login:fail: login:success .29, login:fail .7, end .01
      logout: end .2, home .8
      view_item:success: view_item:success .99, view_item:fail .01
      view_item:fail: view_item:success .29, view_item:fail .7, end .01
      end:
      """),
  SPAMMER(10, "home", 0.006, true, """
      home: login:success .7, login:fail .2, password_reset .099, end .001
      login:success: view_item:success .9, view_profile .1
      login:fail: login:success .7, login:fail .2, password_reset .1
      password_reset: login:success .8, login:fail .1, end .1
      logout: end .9, home .1
      view_item:success: comment:success .5, view_item:success .4, view_item:fail .1
      view_item:fail: view_item:success .19, view_item:fail .7, logout .1, end .01
      view_profile: update_email:success .3, update_email:fail .1, view_profile .2, view_item:success .4
      update_email:success: view_profile 1
      update_email:fail: update_email:success .5, update_email:fail .4, view_profile .1
      update_address:success: view_profile 1
      comment:success: view_item:success .9, logout .05, end .05
      end:
      """),
  FRAUDSTER(15, "home", 0.004, true, """
      home: login:success .5, login:fail .45, end .05
      login:success: view_profile .7, logout .2, end .1
      login:fail: login:success .7, login:fail .2, end .1
      logout: end .9, home .1
      view_item:success: view_item:success .6, buy_item:success .35, buy_item:fail .05
      buy_item:success: view_item:success .3, buy_item:success .4, buy_item:fail .1, logout .1, end .1
      buy_item:fail: buy_item:fail .1, view_profile .2, payment_modify:success .3, payment_modify:fail .3, logout .05, end .05
      view_profile: update_email:success .05, update_email:fail .05, update_address:success .2, update_address:fail .05, payment_modify:success .2, payment_modify:fail .2, view_profile .05, buy_item:success .2
      update_email:success: buy_item:success .9, view_profile .1
      update_email:fail: update_email:success .5, update_email:fail .4, view_profile .1
      update_address:success: buy_item:success .9, view_profile .1
      update_address:fail: update_address:success .6, update_address:fail .3, view_profile .1
      payment_modify:success: buy_item:success .9, view_profile .1
      payment_modify:fail: payment_modify:success .5, payment_modify:fail .4, view_profile .1
      end:
      """),
  ATTACKER(5, "login:fail", 0.004, true, """
      home: login:success .05, login:fail .85, end .1
      login:success: logout .95, end .05
      login:fail: login:success .05, login:fail .85, end .1
      logout: end .1, home .9
      end:
      """);

  private final int maxGapSeconds;
  private final String startState;
  private final double share;
  private final boolean abnormal;
  private final MarkovChain chain;

  Profile(int maxGapSeconds, String startState, double share, boolean abnormal, String chainSpec) {
    this.maxGapSeconds = maxGapSeconds;
    this.startState = startState;
    this.share = share;
    this.abnormal = abnormal;
    this.chain = MarkovChain.parse(chainSpec);
  }

  /**
   * Maximum seconds between two actions of a visit; each gap is uniform in 1..max (a user's own
   * maximum instead in a world of personal paces, {@link WorldKnobs#paceSigma}).
   */
  public int maxGapSeconds() {
    return maxGapSeconds;
  }

  /** The state a visit starts in (not emitted). */
  public String startState() {
    return startState;
  }

  /** Share of the population. */
  public double share() {
    return share;
  }

  /** Whether this profile is one of the abnormal (positive) ones. */
  public boolean abnormal() {
    return abnormal;
  }

  MarkovChain chain() {
    return chain;
  }

  /** The label written in the labels file, e.g. {@code buyer}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
