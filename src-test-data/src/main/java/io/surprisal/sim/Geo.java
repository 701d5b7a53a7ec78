package io.surprisal.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Countries, cities and networks the simulator draws login attributes from.
 *
 * <p>ASN numbers and names are real; the IPv4 /16 blocks given to each are synthetic but plausible
 * (they are not a geolocation database). Weights are the population shares of home countries.
 */
final class Geo {

  /** How a network reaches users. */
  enum NetworkKind { RESIDENTIAL, MOBILE, HOSTING }

  /** A city with its region and rough UTC offset in hours. */
  record City(String region, String city, int utcOffsetHours) {}

  /** An autonomous system with a few synthetic /16 blocks, each encoded as {@code a << 8 | b}. */
  record Network(int asn, String name, NetworkKind kind, int[] blocks16) {
    /** A random /24 inside one of this network's blocks, encoded as {@code a << 16 | b << 8 | c}. */
    int randomPrefix24(SplittableRandom rng) {
      return blocks16[rng.nextInt(blocks16.length)] << 8 | rng.nextInt(256);
    }
  }

  /** A country: ISO alpha-2 code, home-country weight (0 for rare ones), cities, networks. */
  record Country(String code, double weight, List<City> cities, List<Network> networks) {
    List<Network> networksOf(NetworkKind kind) {
      List<Network> out = new ArrayList<>();
      for (Network n : networks) {
        if (n.kind() == kind) {
          out.add(n);
        }
      }
      return out;
    }

    City randomCity(SplittableRandom rng) {
      return cities.get(rng.nextInt(cities.size()));
    }
  }

  private Geo() {}

  private static City c(String region, String city, int offset) {
    return new City(region, city, offset);
  }

  private static Network n(int asn, String name, NetworkKind kind, String... blocks) {
    int[] encoded = new int[blocks.length];
    for (int i = 0; i < blocks.length; i++) {
      String[] ab = blocks[i].split("\\.");
      encoded[i] = Integer.parseInt(ab[0]) << 8 | Integer.parseInt(ab[1]);
    }
    return new Network(asn, name, kind, encoded);
  }

  private static final NetworkKind R = NetworkKind.RESIDENTIAL;
  private static final NetworkKind M = NetworkKind.MOBILE;
  private static final NetworkKind H = NetworkKind.HOSTING;

  /** Common home countries, weighted (US about 35%). */
  static final List<Country> COMMON = List.of(
      new Country("US", 35, List.of(c("New York", "New York", -5), c("California", "Los Angeles", -8),
          c("California", "San Jose", -8), c("Texas", "Houston", -6), c("Illinois", "Chicago", -6),
          c("Florida", "Miami", -5), c("Washington", "Seattle", -8), c("Georgia", "Atlanta", -5)),
          List.of(n(7922, "Comcast", R, "73.12", "24.60", "98.207"), n(7018, "AT&T", R, "99.20", "107.5", "76.201"),
              n(701, "Verizon", R, "71.178", "108.31"), n(20115, "Charter", R, "47.144", "97.93"),
              n(21928, "T-Mobile USA", M, "172.58", "172.56"), n(6167, "Verizon Wireless", M, "174.205", "174.192"))),
      new Country("GB", 8, List.of(c("England", "London", 0), c("England", "Manchester", 0),
          c("Scotland", "Edinburgh", 0), c("England", "Birmingham", 0)),
          List.of(n(2856, "BT", R, "86.128", "81.154"), n(5089, "Virgin Media", R, "82.24", "82.37"),
              n(5607, "Sky UK", R, "2.96", "90.216"), n(12576, "EE", M, "31.94", "92.40"))),
      new Country("DE", 8, List.of(c("Berlin", "Berlin", 1), c("Bavaria", "Munich", 1),
          c("Hamburg", "Hamburg", 1), c("Hesse", "Frankfurt am Main", 1), c("North Rhine-Westphalia", "Cologne", 1)),
          List.of(n(3320, "Deutsche Telekom", R, "79.192", "84.150", "91.40"), n(3209, "Vodafone Germany", R, "88.65", "94.134"),
              n(6805, "Telefonica Germany", M, "77.10", "89.204"))),
      new Country("FR", 6, List.of(c("Ile-de-France", "Paris", 1), c("Auvergne-Rhone-Alpes", "Lyon", 1),
          c("Provence-Alpes-Cote d'Azur", "Marseille", 1), c("Occitanie", "Toulouse", 1)),
          List.of(n(3215, "Orange", R, "90.3", "86.245"), n(12322, "Free SAS", R, "78.192", "88.120"),
              n(5410, "Bouygues Telecom", M, "176.128", "176.175"), n(15557, "SFR", R, "109.9", "109.22"))),
      new Country("CA", 5, List.of(c("Ontario", "Toronto", -5), c("Quebec", "Montreal", -5),
          c("British Columbia", "Vancouver", -8), c("Alberta", "Calgary", -7)),
          List.of(n(812, "Rogers", R, "99.224", "174.112"), n(577, "Bell Canada", R, "69.156", "70.52"),
              n(852, "Telus", M, "75.152", "154.20"))),
      new Country("BR", 5, List.of(c("Sao Paulo", "Sao Paulo", -3), c("Rio de Janeiro", "Rio de Janeiro", -3),
          c("Minas Gerais", "Belo Horizonte", -3)),
          List.of(n(28573, "Claro NXT", R, "177.32", "179.108"), n(18881, "Telefonica Brasil", R, "187.10", "189.100"),
              n(26599, "TIM Brasil", M, "191.246", "191.32"))),
      new Country("IN", 6, List.of(c("Maharashtra", "Mumbai", 5), c("Karnataka", "Bengaluru", 5),
          c("Delhi", "New Delhi", 5), c("Tamil Nadu", "Chennai", 5)),
          List.of(n(55836, "Reliance Jio", M, "49.36", "157.32"), n(24560, "Bharti Airtel", R, "122.161", "106.200"),
              n(9829, "BSNL", R, "117.200", "117.240"))),
      new Country("JP", 4, List.of(c("Tokyo", "Tokyo", 9), c("Osaka", "Osaka", 9), c("Kanagawa", "Yokohama", 9)),
          List.of(n(2516, "KDDI", R, "106.128", "111.239"), n(4713, "NTT OCN", R, "153.156", "180.3"),
              n(17676, "SoftBank", M, "126.72", "219.100"))),
      new Country("ES", 4, List.of(c("Madrid", "Madrid", 1), c("Catalonia", "Barcelona", 1), c("Valencia", "Valencia", 1)),
          List.of(n(3352, "Telefonica de Espana", R, "83.32", "88.24"), n(12479, "Orange Espagne", R, "90.160", "90.174"),
              n(12430, "Vodafone Spain", M, "37.11", "62.87"))),
      new Country("IT", 4, List.of(c("Lombardy", "Milan", 1), c("Lazio", "Rome", 1), c("Campania", "Naples", 1)),
          List.of(n(3269, "TIM", R, "79.20", "87.16"), n(30722, "Vodafone Italia", M, "5.90", "5.168"),
              n(1267, "Wind Tre", R, "151.40", "151.80"))),
      new Country("NL", 3, List.of(c("North Holland", "Amsterdam", 1), c("South Holland", "Rotterdam", 1),
          c("Utrecht", "Utrecht", 1)),
          List.of(n(1136, "KPN", R, "77.160", "145.129"), n(33915, "Vodafone Libertel", M, "84.241", "31.20"))),
      new Country("AU", 3, List.of(c("New South Wales", "Sydney", 10), c("Victoria", "Melbourne", 10),
          c("Queensland", "Brisbane", 10)),
          List.of(n(1221, "Telstra", R, "101.160", "110.140"), n(4804, "Optus", M, "120.16", "49.180"))),
      new Country("MX", 3, List.of(c("Mexico City", "Mexico City", -6), c("Jalisco", "Guadalajara", -6),
          c("Nuevo Leon", "Monterrey", -6)),
          List.of(n(8151, "Telmex", R, "187.190", "189.216"), n(28403, "Telcel", M, "200.68", "201.144"))),
      new Country("PL", 3, List.of(c("Masovia", "Warsaw", 1), c("Lesser Poland", "Krakow", 1), c("Lower Silesia", "Wroclaw", 1)),
          List.of(n(5617, "Orange Polska", R, "83.24", "83.30"), n(12912, "T-Mobile Polska", M, "37.47", "37.248"))),
      new Country("SE", 2, List.of(c("Stockholm", "Stockholm", 1), c("Vastra Gotaland", "Gothenburg", 1)),
          List.of(n(3301, "Telia", R, "78.64", "90.224"), n(1257, "Tele2", M, "176.10", "46.59"))));

  /** Countries rare in the population, preferred by attackers and the novelty scenario. */
  static final List<Country> RARE = List.of(
      new Country("UA", 0, List.of(c("Kyiv City", "Kyiv", 2), c("Kharkiv Oblast", "Kharkiv", 2), c("Odesa Oblast", "Odesa", 2)),
          List.of(n(15895, "Kyivstar", M, "46.211", "176.36"), n(6849, "Ukrtelecom", R, "92.112", "195.5"))),
      new Country("RU", 0, List.of(c("Moscow", "Moscow", 3), c("Saint Petersburg", "Saint Petersburg", 3)),
          List.of(n(12389, "Rostelecom", R, "95.24", "178.64"), n(8359, "MTS", M, "83.149", "85.140"))),
      new Country("NG", 0, List.of(c("Lagos", "Lagos", 1), c("FCT", "Abuja", 1)),
          List.of(n(29465, "MTN Nigeria", M, "102.88", "105.112"), n(37148, "Globacom", R, "197.210", "197.211"))),
      new Country("VN", 0, List.of(c("Hanoi", "Hanoi", 7), c("Ho Chi Minh City", "Ho Chi Minh City", 7)),
          List.of(n(7552, "Viettel", M, "113.160", "171.224"), n(45899, "VNPT", R, "14.160", "14.226"))),
      new Country("RO", 0, List.of(c("Bucharest", "Bucharest", 2), c("Cluj", "Cluj-Napoca", 2)),
          List.of(n(8708, "RCS & RDS", R, "86.120", "89.136"), n(9050, "Telekom Romania", M, "79.112", "86.34"))),
      new Country("ID", 0, List.of(c("Jakarta", "Jakarta", 7), c("East Java", "Surabaya", 7)),
          List.of(n(7713, "Telkom Indonesia", R, "36.64", "180.248"), n(23693, "Telkomsel", M, "114.124", "182.0"))),
      new Country("KZ", 0, List.of(c("Almaty", "Almaty", 5), c("Astana", "Astana", 5)),
          List.of(n(9198, "Kazakhtelecom", R, "2.132", "95.56"))));

  /** Hosting networks bots come from, each with a datacenter location. */
  record Hosting(Network network, String country, City city) {}

  static final List<Hosting> HOSTING = List.of(
      new Hosting(n(16509, "Amazon AWS", H, "3.80", "18.204", "52.23", "54.172"), "US", c("Virginia", "Ashburn", -5)),
      new Hosting(n(16509, "Amazon AWS", H, "3.120", "18.194", "52.58"), "IE", c("Leinster", "Dublin", 0)),
      new Hosting(n(15169, "Google LLC", H, "34.68", "35.184", "34.125"), "US", c("Iowa", "Council Bluffs", -6)),
      new Hosting(n(14061, "DigitalOcean", H, "138.68", "159.65", "167.99"), "US", c("New Jersey", "North Bergen", -5)),
      new Hosting(n(14061, "DigitalOcean", H, "188.166", "146.190"), "NL", c("North Holland", "Amsterdam", 1)),
      new Hosting(n(16276, "OVH SAS", H, "51.38", "51.75", "145.239"), "FR", c("Hauts-de-France", "Roubaix", 1)),
      new Hosting(n(24940, "Hetzner Online", H, "78.46", "88.99", "135.181", "5.9"), "DE", c("Bavaria", "Nuremberg", 1)),
      new Hosting(n(24940, "Hetzner Online", H, "65.21", "95.216"), "FI", c("Uusimaa", "Helsinki", 2)));

  private static final double COMMON_WEIGHT_SUM =
      COMMON.stream().mapToDouble(Country::weight).sum();

  /** A common country drawn by population weight. */
  static Country weightedCommon(SplittableRandom rng) {
    double u = rng.nextDouble() * COMMON_WEIGHT_SUM;
    for (Country country : COMMON) {
      u -= country.weight();
      if (u < 0) {
        return country;
      }
    }
    return COMMON.get(COMMON.size() - 1);
  }

  /** A common country drawn by weight, different from {@code except}. */
  static Country weightedCommonExcept(SplittableRandom rng, String except) {
    for (int attempt = 0; attempt < 64; attempt++) {
      Country c = weightedCommon(rng);
      if (!c.code().equals(except)) {
        return c;
      }
    }
    return COMMON.get(0).code().equals(except) ? COMMON.get(1) : COMMON.get(0);
  }

  /** A country rare in the population, uniformly. */
  static Country rare(SplittableRandom rng) {
    return RARE.get(rng.nextInt(RARE.size()));
  }

  /** Dotted-quad text of a /24 prefix plus a host octet. */
  static String ip(int prefix24, int host) {
    return (prefix24 >>> 16 & 0xff) + "." + (prefix24 >>> 8 & 0xff) + "." + (prefix24 & 0xff) + "." + host;
  }
}
