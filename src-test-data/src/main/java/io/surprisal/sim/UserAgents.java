package io.surprisal.sim;

import java.util.List;

/**
 * Browser and non-browser user agent strings, with the browser family and the device class.
 * Strings are real-looking full agents of late-2024/2025 browsers.
 */
public final class UserAgents {

  /** A user agent string with its family (Chrome, Safari, ...) and device (desktop/mobile). */
  record Agent(String family, String device, String value) {}

  private UserAgents() {}

  static final List<Agent> DESKTOP = List.of(
      new Agent("Chrome", "desktop", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
      new Agent("Chrome", "desktop", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
      new Agent("Safari", "desktop", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"),
      new Agent("Firefox", "desktop", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"),
      new Agent("Edge", "desktop", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70"));

  static final List<Agent> MOBILE = List.of(
      new Agent("Safari", "mobile", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"),
      new Agent("Safari", "mobile", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"),
      new Agent("Chrome", "mobile", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"),
      new Agent("Samsung Internet", "mobile", "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"));

  /** Browsers rarely used in the population (novelty and attackers draw from these too). */
  static final List<Agent> UNCOMMON = List.of(
      new Agent("Firefox", "desktop", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"),
      new Agent("Opera", "desktop", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0"),
      new Agent("Firefox", "mobile", "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"),
      new Agent("Yandex", "desktop", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36"));

  /** Non-browser and headless agents used by bots. */
  static final List<Agent> BOTS = List.of(
      new Agent("python-requests", "desktop", "python-requests/2.31.0"),
      new Agent("curl", "desktop", "curl/8.4.0"),
      new Agent("HeadlessChrome", "desktop", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36"),
      new Agent("Scrapy", "desktop", "Scrapy/2.11.0 (+https://scrapy.org)"));

  /**
   * The browser family of a user agent string, e.g. {@code Chrome}, {@code Safari}, {@code Edge},
   * {@code Firefox}, {@code curl}; {@code Other} when unknown.
   */
  public static String family(String userAgent) {
    if (userAgent.startsWith("python-requests/")) {
      return "python-requests";
    }
    if (userAgent.startsWith("curl/")) {
      return "curl";
    }
    if (userAgent.startsWith("Scrapy/")) {
      return "Scrapy";
    }
    if (userAgent.contains("HeadlessChrome/")) {
      return "HeadlessChrome";
    }
    if (userAgent.contains("Edg/")) {
      return "Edge";
    }
    if (userAgent.contains("OPR/")) {
      return "Opera";
    }
    if (userAgent.contains("YaBrowser/")) {
      return "Yandex";
    }
    if (userAgent.contains("SamsungBrowser/")) {
      return "Samsung Internet";
    }
    if (userAgent.contains("Firefox/")) {
      return "Firefox";
    }
    if (userAgent.contains("Chrome/")) {
      return "Chrome";
    }
    if (userAgent.contains("Safari/")) {
      return "Safari";
    }
    return "Other";
  }
}
