package io.surprisal.sim;

/**
 * How the simulated users of one world behave and who they are, beyond their number and days
 * ({@link SimulatorConfig}). {@link #LEGACY} reproduces the simulator's original output byte for
 * byte (the committed samples use it); {@link #DEFAULT} is the same world with coordinates on every
 * event, trips that move at a plausible speed and the attacks of {@link Scenario}. See
 * docs/simulator-worlds.md.
 *
 * @param minVisitsPerDay lower end of a normal user's own mean visits per day
 * @param maxVisitsPerDay upper end; each normal user's mean rate r is uniform in [min, max) and a
 *     day has floor(r) visits plus one more with probability r - floor(r), so r = 0.25 is a visit
 *     every four days on average and r = 30 is 30 or 31 visits every day
 * @param ipChurn probability that a visit of a normal user comes from a new /24 prefix inside the
 *     user's own network (ASN), as mobile carriers and many home ISPs give; 0 keeps one prefix
 * @param mobileNetworkShare share of normal users whose network is a mobile carrier
 * @param phoneShare share of normal users whose main device is a phone (the rest a computer)
 * @param multiDeviceShare share of normal users with a second device of the other kind (phone and
 *     computer), each visit from either
 * @param travelShare share of normal users who travel to another country on a scored day
 * @param plausibleTrips true: a trip's first visit abroad starts no sooner than a flight there takes,
 *     and the traveller stays abroad to the end; false (legacy): one visit abroad, then home again
 * @param newUserShare share of users (other than scenario users) whose first visit is on a scored
 *     day: no history at all before it
 * @param historyDays the number of leading days that are history only; scenarios and new users
 *     fall on the days after (the scored days). 1 in the legacy world
 * @param abnormalShare share of the population with an abnormal profile (bots, spammers,
 *     fraudsters, attackers; split as in {@link Profile}); 0.02 in the legacy world
 * @param noveltyShare share of normal users with the {@code novelty} attack
 * @param takeoverShare share of normal users with the {@code takeover} attack
 * @param impossibleTravelShare share of normal users with the {@code impossible_travel} attack: a
 *     login from a city thousands of km away minutes after a visit from home
 * @param coordinates whether every event carries {@code lat} and {@code lon} (the city's centre)
 * @param giftCardShare share of normal users with the {@code gift_cards} attack: from their own place
 *     and device, purchases of 15 to 40 times their usual amount
 * @param longSessionShare share of normal users with the {@code long_session} attack: from their own
 *     place and device, one visit of 8 to 30 times their median events at their own pace
 * @param fastPaceShare share of normal users with the {@code fast_pace} attack: from their own place
 *     and device, a visit of about their usual length with gaps 2.5 to 4.5 times shorter than their
 *     median gap, under the {@code velocity} rule's rate
 * @param gapLaw how the seconds between a visit's events are drawn ({@link GapLaw})
 * @param visitStretchSigma 0: a normal user's visit ends as its chain does. Above 0, each visit of a
 *     normal user (not a scenario's) is stretched by a factor m = max(1, e^(sigma z)), z standard
 *     normal per visit: the chain's end and logout are drawn again with probability 1 - 1/m, so the
 *     visit has about m times its usual events. Half the visits as usual, now and then one many
 *     times longer (e^(2 sigma) or more once in 44), as real sites' binges and forgotten tabs give
 * @param chainConcentration 0: every buyer walks the buyers' chain, every merchant the merchants'.
 *     Above 0, each normal user walks a chain of their own: every row of their profile's chain
 *     drawn from a Dirichlet around it of this concentration (a row's probability p becomes a Beta
 *     of mean p and variance p (1 - p) / (concentration + 1)), so that people differ in how often
 *     they buy, comment, fail or leave, and a step rare in the population is common for a few
 * @param paceSigma 0: every buyer's gaps go up to the buyers' longest, every merchant's to the
 *     merchants'. Above 0, each normal user's longest gap is their profile's times e^(sigma z), z
 *     standard normal per user (at least 2 s, so that gaps still vary), so that some people click
 *     through a site several times faster or slower than others, every visit
 * @param spendSpreadSigma 0: every purchase's amount is log-normal around its buyer's median with
 *     the same spread (the log's sd 0.5) for everyone. Above 0, each normal user's spread is 0.5
 *     times e^(sigma z), z standard normal per user: some people buy at much the same price every
 *     time, others anything from a coffee to a sofa
 */
public record WorldKnobs(
    double minVisitsPerDay,
    double maxVisitsPerDay,
    double ipChurn,
    double mobileNetworkShare,
    double phoneShare,
    double multiDeviceShare,
    double travelShare,
    boolean plausibleTrips,
    double newUserShare,
    int historyDays,
    double abnormalShare,
    double noveltyShare,
    double takeoverShare,
    double impossibleTravelShare,
    boolean coordinates,
    double giftCardShare,
    double longSessionShare,
    double fastPaceShare,
    GapLaw gapLaw,
    double visitStretchSigma,
    double chainConcentration,
    double paceSigma,
    double spendSpreadSigma) {

  /** The share of abnormal profiles in {@link Profile} (their shares' sum). */
  public static final double PROFILE_ABNORMAL_SHARE = 0.02;

  /** The simulator's original world, byte for byte. */
  public static final WorldKnobs LEGACY = new WorldKnobs(1.0, 3.0, 0.0, 0.25, 0.45, 0.35,
      Scenario.TRAVEL.shareOfNormalUsers(), false, 0.0, 1, PROFILE_ABNORMAL_SHARE,
      Scenario.NOVELTY.shareOfNormalUsers(), Scenario.TAKEOVER.shareOfNormalUsers(), 0.0, false,
      0.0, 0.0, 0.0, GapLaw.UNIFORM, 0.0, 0.0, 0.0, 0.0);

  /**
   * The default world of {@code generate}: the legacy one with coordinates, trips, impossible
   * travel, gift cards, long sessions and fast pace.
   */
  public static final WorldKnobs DEFAULT = LEGACY.withCoordinates(true).withPlausibleTrips(true)
      .withImpossibleTravelShare(Scenario.IMPOSSIBLE_TRAVEL.shareOfNormalUsers())
      .withGiftCardShare(Scenario.GIFT_CARDS.shareOfNormalUsers())
      .withLongSessionShare(Scenario.LONG_SESSION.shareOfNormalUsers())
      .withFastPaceShare(Scenario.FAST_PACE.shareOfNormalUsers());

  public WorldKnobs {
    if (gapLaw == null) {
      throw new IllegalArgumentException("gapLaw must be given");
    }
    if (!(minVisitsPerDay > 0) || !(maxVisitsPerDay >= minVisitsPerDay) || maxVisitsPerDay > 500) {
      throw new IllegalArgumentException("visits per day must satisfy 0 < min <= max <= 500: "
          + minVisitsPerDay + ".." + maxVisitsPerDay);
    }
    share("ipChurn", ipChurn);
    share("mobileNetworkShare", mobileNetworkShare);
    share("phoneShare", phoneShare);
    share("multiDeviceShare", multiDeviceShare);
    share("travelShare", travelShare);
    share("newUserShare", newUserShare);
    share("abnormalShare", abnormalShare);
    share("noveltyShare", noveltyShare);
    share("takeoverShare", takeoverShare);
    share("impossibleTravelShare", impossibleTravelShare);
    share("giftCardShare", giftCardShare);
    share("longSessionShare", longSessionShare);
    share("fastPaceShare", fastPaceShare);
    if (!(visitStretchSigma >= 0 && visitStretchSigma <= 3)) {
      throw new IllegalArgumentException("visitStretchSigma must be in [0, 3]: " + visitStretchSigma);
    }
    if (!(chainConcentration == 0 || (chainConcentration >= 1 && chainConcentration <= 1e6))) {
      throw new IllegalArgumentException("chainConcentration must be 0 or in [1, 1e6]: " + chainConcentration);
    }
    if (!(paceSigma >= 0 && paceSigma <= 2)) {
      throw new IllegalArgumentException("paceSigma must be in [0, 2]: " + paceSigma);
    }
    if (!(spendSpreadSigma >= 0 && spendSpreadSigma <= 2)) {
      throw new IllegalArgumentException("spendSpreadSigma must be in [0, 2]: " + spendSpreadSigma);
    }
    if (historyDays < 1) {
      throw new IllegalArgumentException("historyDays must be >= 1: " + historyDays);
    }
    double scenarios = travelShare + noveltyShare + takeoverShare + impossibleTravelShare
        + Scenario.NEW_PHONE.shareOfNormalUsers() + Scenario.FORGOT_PASSWORD.shareOfNormalUsers()
        + giftCardShare + longSessionShare + fastPaceShare;
    if (scenarios > 1.0) {
      throw new IllegalArgumentException("scenario shares add up to more than 1: " + scenarios);
    }
  }

  private static void share(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1]: " + value);
    }
  }

  /** The share of {@code p} in the population: abnormal profiles scaled to {@link #abnormalShare}. */
  double profileShare(Profile p) {
    double scale = abnormalShare / PROFILE_ABNORMAL_SHARE;
    if (p.abnormal()) {
      return p.share() * scale;
    }
    // buyers and merchants share what the abnormal profiles leave, half each
    return p.share() - (scale - 1) * PROFILE_ABNORMAL_SHARE / 2;
  }

  /** The share of normal users that get {@code s}. */
  double scenarioShare(Scenario s) {
    return switch (s) {
      case NONE -> 0;
      case TRAVEL -> travelShare;
      case NOVELTY -> noveltyShare;
      case TAKEOVER -> takeoverShare;
      case IMPOSSIBLE_TRAVEL -> impossibleTravelShare;
      case GIFT_CARDS -> giftCardShare;
      case LONG_SESSION -> longSessionShare;
      case FAST_PACE -> fastPaceShare;
      default -> s.shareOfNormalUsers();
    };
  }

  public WorldKnobs withVisitsPerDay(double min, double max) {
    return with(k -> {
      k.minVisitsPerDay = min;
      k.maxVisitsPerDay = max;
    });
  }

  public WorldKnobs withIpChurn(double v) {
    return with(k -> k.ipChurn = v);
  }

  public WorldKnobs withMobileNetworkShare(double v) {
    return with(k -> k.mobileNetworkShare = v);
  }

  public WorldKnobs withPhoneShare(double v) {
    return with(k -> k.phoneShare = v);
  }

  public WorldKnobs withMultiDeviceShare(double v) {
    return with(k -> k.multiDeviceShare = v);
  }

  public WorldKnobs withTravelShare(double v) {
    return with(k -> k.travelShare = v);
  }

  public WorldKnobs withPlausibleTrips(boolean v) {
    return with(k -> k.plausibleTrips = v);
  }

  public WorldKnobs withNewUserShare(double v) {
    return with(k -> k.newUserShare = v);
  }

  public WorldKnobs withHistoryDays(int v) {
    return with(k -> k.historyDays = v);
  }

  public WorldKnobs withAbnormalShare(double v) {
    return with(k -> k.abnormalShare = v);
  }

  /**
   * The same share for each of the six attacks (novelty, takeover, impossible travel, gift cards,
   * long session, fast pace).
   */
  public WorldKnobs withAttackShare(double v) {
    return with(k -> {
      k.noveltyShare = v;
      k.takeoverShare = v;
      k.impossibleTravelShare = v;
      k.giftCardShare = v;
      k.longSessionShare = v;
      k.fastPaceShare = v;
    });
  }

  public WorldKnobs withGiftCardShare(double v) {
    return with(k -> k.giftCardShare = v);
  }

  public WorldKnobs withLongSessionShare(double v) {
    return with(k -> k.longSessionShare = v);
  }

  public WorldKnobs withFastPaceShare(double v) {
    return with(k -> k.fastPaceShare = v);
  }

  public WorldKnobs withImpossibleTravelShare(double v) {
    return with(k -> k.impossibleTravelShare = v);
  }

  public WorldKnobs withCoordinates(boolean v) {
    return with(k -> k.coordinates = v);
  }

  public WorldKnobs withGapLaw(GapLaw v) {
    return with(k -> k.gapLaw = v);
  }

  public WorldKnobs withVisitStretchSigma(double v) {
    return with(k -> k.visitStretchSigma = v);
  }

  public WorldKnobs withChainConcentration(double v) {
    return with(k -> k.chainConcentration = v);
  }

  public WorldKnobs withPaceSigma(double v) {
    return with(k -> k.paceSigma = v);
  }

  public WorldKnobs withSpendSpreadSigma(double v) {
    return with(k -> k.spendSpreadSigma = v);
  }

  /** These knobs with {@code change} made to a copy of them (the record's checks run on the result). */
  private WorldKnobs with(java.util.function.Consumer<Knobs> change) {
    Knobs k = new Knobs(this);
    change.accept(k);
    return k.build();
  }

  /** The knobs as fields, for {@link #with}: one place that lists them all. */
  private static final class Knobs {
    double minVisitsPerDay;
    double maxVisitsPerDay;
    double ipChurn;
    double mobileNetworkShare;
    double phoneShare;
    double multiDeviceShare;
    double travelShare;
    boolean plausibleTrips;
    double newUserShare;
    int historyDays;
    double abnormalShare;
    double noveltyShare;
    double takeoverShare;
    double impossibleTravelShare;
    boolean coordinates;
    double giftCardShare;
    double longSessionShare;
    double fastPaceShare;
    GapLaw gapLaw;
    double visitStretchSigma;
    double chainConcentration;
    double paceSigma;
    double spendSpreadSigma;

    Knobs(WorldKnobs w) {
      minVisitsPerDay = w.minVisitsPerDay;
      maxVisitsPerDay = w.maxVisitsPerDay;
      ipChurn = w.ipChurn;
      mobileNetworkShare = w.mobileNetworkShare;
      phoneShare = w.phoneShare;
      multiDeviceShare = w.multiDeviceShare;
      travelShare = w.travelShare;
      plausibleTrips = w.plausibleTrips;
      newUserShare = w.newUserShare;
      historyDays = w.historyDays;
      abnormalShare = w.abnormalShare;
      noveltyShare = w.noveltyShare;
      takeoverShare = w.takeoverShare;
      impossibleTravelShare = w.impossibleTravelShare;
      coordinates = w.coordinates;
      giftCardShare = w.giftCardShare;
      longSessionShare = w.longSessionShare;
      fastPaceShare = w.fastPaceShare;
      gapLaw = w.gapLaw;
      visitStretchSigma = w.visitStretchSigma;
      chainConcentration = w.chainConcentration;
      paceSigma = w.paceSigma;
      spendSpreadSigma = w.spendSpreadSigma;
    }

    WorldKnobs build() {
      return new WorldKnobs(minVisitsPerDay, maxVisitsPerDay, ipChurn, mobileNetworkShare,
          phoneShare, multiDeviceShare, travelShare, plausibleTrips, newUserShare, historyDays,
          abnormalShare, noveltyShare, takeoverShare, impossibleTravelShare, coordinates,
          giftCardShare, longSessionShare, fastPaceShare, gapLaw, visitStretchSigma, chainConcentration, paceSigma,
          spendSpreadSigma);
    }
  }
}
