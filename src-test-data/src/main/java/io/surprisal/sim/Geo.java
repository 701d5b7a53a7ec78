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

  /**
   * A city with its region, rough UTC offset in hours and the decimal degrees of its centre (what a
   * geo-IP lookup gives for an address of the city).
   */
  record City(String region, String city, int utcOffsetHours, double lat, double lon) {
    /** Great-circle distance in km (haversine on a sphere of radius 6,371 km). */
    double kmTo(City other) {
      return greatCircleKm(lat, lon, other.lat, other.lon);
    }
  }

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

  private static City c(String region, String city, int offset, double lat, double lon) {
    return new City(region, city, offset, lat, lon);
  }

  /** Mean Earth radius, km. */
  static final double EARTH_RADIUS_KM = 6_371.0;

  /** Haversine distance in km; StrictMath so that every JVM draws the same trips. */
  static double greatCircleKm(double lat1, double lon1, double lat2, double lon2) {
    double p1 = StrictMath.toRadians(lat1);
    double p2 = StrictMath.toRadians(lat2);
    double dp = p2 - p1;
    double dl = StrictMath.toRadians(lon2 - lon1);
    double h = StrictMath.sin(dp / 2) * StrictMath.sin(dp / 2)
        + StrictMath.cos(p1) * StrictMath.cos(p2) * StrictMath.sin(dl / 2) * StrictMath.sin(dl / 2);
    return 2 * EARTH_RADIUS_KM * StrictMath.asin(StrictMath.min(1.0, StrictMath.sqrt(h)));
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
      new Country("US", 35, List.of(c("New York", "New York", -5, 40.7128, -74.006), c("California", "Los Angeles", -8, 34.0522, -118.2437),
          c("California", "San Jose", -8, 37.3382, -121.8863), c("Texas", "Houston", -6, 29.7604, -95.3698), c("Illinois", "Chicago", -6, 41.8781, -87.6298),
          c("Florida", "Miami", -5, 25.7617, -80.1918), c("Washington", "Seattle", -8, 47.6062, -122.3321), c("Georgia", "Atlanta", -5, 33.749, -84.388)),
          List.of(n(7922, "Comcast", R, "73.12", "24.60", "98.207"), n(7018, "AT&T", R, "99.20", "107.5", "76.201"),
              n(701, "Verizon", R, "71.178", "108.31"), n(20115, "Charter", R, "47.144", "97.93"),
              n(21928, "T-Mobile USA", M, "172.58", "172.56"), n(6167, "Verizon Wireless", M, "174.205", "174.192"))),
      new Country("GB", 8, List.of(c("England", "London", 0, 51.5074, -0.1278), c("England", "Manchester", 0, 53.4808, -2.2426),
          c("Scotland", "Edinburgh", 0, 55.9533, -3.1883), c("England", "Birmingham", 0, 52.4862, -1.8904)),
          List.of(n(2856, "BT", R, "86.128", "81.154"), n(5089, "Virgin Media", R, "82.24", "82.37"),
              n(5607, "Sky UK", R, "2.96", "90.216"), n(12576, "EE", M, "31.94", "92.40"))),
      new Country("DE", 8, List.of(c("Berlin", "Berlin", 1, 52.52, 13.405), c("Bavaria", "Munich", 1, 48.1351, 11.582),
          c("Hamburg", "Hamburg", 1, 53.5511, 9.9937), c("Hesse", "Frankfurt am Main", 1, 50.1109, 8.6821), c("North Rhine-Westphalia", "Cologne", 1, 50.9375, 6.9603)),
          List.of(n(3320, "Deutsche Telekom", R, "79.192", "84.150", "91.40"), n(3209, "Vodafone Germany", R, "88.65", "94.134"),
              n(6805, "Telefonica Germany", M, "77.10", "89.204"))),
      new Country("FR", 6, List.of(c("Ile-de-France", "Paris", 1, 48.8566, 2.3522), c("Auvergne-Rhone-Alpes", "Lyon", 1, 45.764, 4.8357),
          c("Provence-Alpes-Cote d'Azur", "Marseille", 1, 43.2965, 5.3698), c("Occitanie", "Toulouse", 1, 43.6047, 1.4442)),
          List.of(n(3215, "Orange", R, "90.3", "86.245"), n(12322, "Free SAS", R, "78.192", "88.120"),
              n(5410, "Bouygues Telecom", M, "176.128", "176.175"), n(15557, "SFR", R, "109.9", "109.22"))),
      new Country("CA", 5, List.of(c("Ontario", "Toronto", -5, 43.6532, -79.3832), c("Quebec", "Montreal", -5, 45.5017, -73.5673),
          c("British Columbia", "Vancouver", -8, 49.2827, -123.1207), c("Alberta", "Calgary", -7, 51.0447, -114.0719)),
          List.of(n(812, "Rogers", R, "99.224", "174.112"), n(577, "Bell Canada", R, "69.156", "70.52"),
              n(852, "Telus", M, "75.152", "154.20"))),
      new Country("BR", 5, List.of(c("Sao Paulo", "Sao Paulo", -3, -23.5505, -46.6333), c("Rio de Janeiro", "Rio de Janeiro", -3, -22.9068, -43.1729),
          c("Minas Gerais", "Belo Horizonte", -3, -19.9167, -43.9345)),
          List.of(n(28573, "Claro NXT", R, "177.32", "179.108"), n(18881, "Telefonica Brasil", R, "187.10", "189.100"),
              n(26599, "TIM Brasil", M, "191.246", "191.32"))),
      new Country("IN", 6, List.of(c("Maharashtra", "Mumbai", 5, 19.076, 72.8777), c("Karnataka", "Bengaluru", 5, 12.9716, 77.5946),
          c("Delhi", "New Delhi", 5, 28.6139, 77.209), c("Tamil Nadu", "Chennai", 5, 13.0827, 80.2707)),
          List.of(n(55836, "Reliance Jio", M, "49.36", "157.32"), n(24560, "Bharti Airtel", R, "122.161", "106.200"),
              n(9829, "BSNL", R, "117.200", "117.240"))),
      new Country("JP", 4, List.of(c("Tokyo", "Tokyo", 9, 35.6762, 139.6503), c("Osaka", "Osaka", 9, 34.6937, 135.5023), c("Kanagawa", "Yokohama", 9, 35.4437, 139.638)),
          List.of(n(2516, "KDDI", R, "106.128", "111.239"), n(4713, "NTT OCN", R, "153.156", "180.3"),
              n(17676, "SoftBank", M, "126.72", "219.100"))),
      new Country("ES", 4, List.of(c("Madrid", "Madrid", 1, 40.4168, -3.7038), c("Catalonia", "Barcelona", 1, 41.3874, 2.1686), c("Valencia", "Valencia", 1, 39.4699, -0.3763)),
          List.of(n(3352, "Telefonica de Espana", R, "83.32", "88.24"), n(12479, "Orange Espagne", R, "90.160", "90.174"),
              n(12430, "Vodafone Spain", M, "37.11", "62.87"))),
      new Country("IT", 4, List.of(c("Lombardy", "Milan", 1, 45.4642, 9.19), c("Lazio", "Rome", 1, 41.9028, 12.4964), c("Campania", "Naples", 1, 40.8518, 14.2681)),
          List.of(n(3269, "TIM", R, "79.20", "87.16"), n(30722, "Vodafone Italia", M, "5.90", "5.168"),
              n(1267, "Wind Tre", R, "151.40", "151.80"))),
      new Country("NL", 3, List.of(c("North Holland", "Amsterdam", 1, 52.3676, 4.9041), c("South Holland", "Rotterdam", 1, 51.9244, 4.4777),
          c("Utrecht", "Utrecht", 1, 52.0907, 5.1214)),
          List.of(n(1136, "KPN", R, "77.160", "145.129"), n(33915, "Vodafone Libertel", M, "84.241", "31.20"))),
      new Country("AU", 3, List.of(c("New South Wales", "Sydney", 10, -33.8688, 151.2093), c("Victoria", "Melbourne", 10, -37.8136, 144.9631),
          c("Queensland", "Brisbane", 10, -27.4698, 153.0251)),
          List.of(n(1221, "Telstra", R, "101.160", "110.140"), n(4804, "Optus", M, "120.16", "49.180"))),
      new Country("MX", 3, List.of(c("Mexico City", "Mexico City", -6, 19.4326, -99.1332), c("Jalisco", "Guadalajara", -6, 20.6597, -103.3496),
          c("Nuevo Leon", "Monterrey", -6, 25.6866, -100.3161)),
          List.of(n(8151, "Telmex", R, "187.190", "189.216"), n(28403, "Telcel", M, "200.68", "201.144"))),
      new Country("PL", 3, List.of(c("Masovia", "Warsaw", 1, 52.2297, 21.0122), c("Lesser Poland", "Krakow", 1, 50.0647, 19.945), c("Lower Silesia", "Wroclaw", 1, 51.1079, 17.0385)),
          List.of(n(5617, "Orange Polska", R, "83.24", "83.30"), n(12912, "T-Mobile Polska", M, "37.47", "37.248"))),
      new Country("SE", 2, List.of(c("Stockholm", "Stockholm", 1, 59.3293, 18.0686), c("Vastra Gotaland", "Gothenburg", 1, 57.7089, 11.9746)),
          List.of(n(3301, "Telia", R, "78.64", "90.224"), n(1257, "Tele2", M, "176.10", "46.59"))));

  /** Countries rare in the population, preferred by attackers and the novelty scenario. */
  static final List<Country> RARE = List.of(
      new Country("UA", 0, List.of(c("Kyiv City", "Kyiv", 2, 50.4501, 30.5234), c("Kharkiv Oblast", "Kharkiv", 2, 49.9935, 36.2304), c("Odesa Oblast", "Odesa", 2, 46.4825, 30.7233)),
          List.of(n(15895, "Kyivstar", M, "46.211", "176.36"), n(6849, "Ukrtelecom", R, "92.112", "195.5"))),
      new Country("RU", 0, List.of(c("Moscow", "Moscow", 3, 55.7558, 37.6173), c("Saint Petersburg", "Saint Petersburg", 3, 59.9311, 30.3609)),
          List.of(n(12389, "Rostelecom", R, "95.24", "178.64"), n(8359, "MTS", M, "83.149", "85.140"))),
      new Country("NG", 0, List.of(c("Lagos", "Lagos", 1, 6.5244, 3.3792), c("FCT", "Abuja", 1, 9.0765, 7.3986)),
          List.of(n(29465, "MTN Nigeria", M, "102.88", "105.112"), n(37148, "Globacom", R, "197.210", "197.211"))),
      new Country("VN", 0, List.of(c("Hanoi", "Hanoi", 7, 21.0278, 105.8342), c("Ho Chi Minh City", "Ho Chi Minh City", 7, 10.8231, 106.6297)),
          List.of(n(7552, "Viettel", M, "113.160", "171.224"), n(45899, "VNPT", R, "14.160", "14.226"))),
      new Country("RO", 0, List.of(c("Bucharest", "Bucharest", 2, 44.4268, 26.1025), c("Cluj", "Cluj-Napoca", 2, 46.7712, 23.6236)),
          List.of(n(8708, "RCS & RDS", R, "86.120", "89.136"), n(9050, "Telekom Romania", M, "79.112", "86.34"))),
      new Country("ID", 0, List.of(c("Jakarta", "Jakarta", 7, -6.2088, 106.8456), c("East Java", "Surabaya", 7, -7.2575, 112.7521)),
          List.of(n(7713, "Telkom Indonesia", R, "36.64", "180.248"), n(23693, "Telkomsel", M, "114.124", "182.0"))),
      new Country("KZ", 0, List.of(c("Almaty", "Almaty", 5, 43.222, 76.8512), c("Astana", "Astana", 5, 51.1605, 71.4704)),
          List.of(n(9198, "Kazakhtelecom", R, "2.132", "95.56"))));

  /** Hosting networks bots come from, each with a datacenter location. */
  record Hosting(Network network, String country, City city) {}

  static final List<Hosting> HOSTING = List.of(
      new Hosting(n(16509, "Amazon AWS", H, "3.80", "18.204", "52.23", "54.172"), "US", c("Virginia", "Ashburn", -5, 39.0438, -77.4874)),
      new Hosting(n(16509, "Amazon AWS", H, "3.120", "18.194", "52.58"), "IE", c("Leinster", "Dublin", 0, 53.3498, -6.2603)),
      new Hosting(n(15169, "Google LLC", H, "34.68", "35.184", "34.125"), "US", c("Iowa", "Council Bluffs", -6, 41.2619, -95.8608)),
      new Hosting(n(14061, "DigitalOcean", H, "138.68", "159.65", "167.99"), "US", c("New Jersey", "North Bergen", -5, 40.8043, -74.0121)),
      new Hosting(n(14061, "DigitalOcean", H, "188.166", "146.190"), "NL", c("North Holland", "Amsterdam", 1, 52.3676, 4.9041)),
      new Hosting(n(16276, "OVH SAS", H, "51.38", "51.75", "145.239"), "FR", c("Hauts-de-France", "Roubaix", 1, 50.6942, 3.1746)),
      new Hosting(n(24940, "Hetzner Online", H, "78.46", "88.99", "135.181", "5.9"), "DE", c("Bavaria", "Nuremberg", 1, 49.4521, 11.0767)),
      new Hosting(n(24940, "Hetzner Online", H, "65.21", "95.216"), "FI", c("Uusimaa", "Helsinki", 2, 60.1699, 24.9384)));

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

  /** A city of a country. */
  record Place(Country country, City city) {}

  /**
   * A city at least {@code minKm} from {@code home}, in any country of the simulation (common or
   * rare), uniformly over the countries that have one, then over their far cities.
   */
  static Place farFrom(SplittableRandom rng, City home, double minKm) {
    List<Place> byCountry = new ArrayList<>();
    List<List<City>> far = new ArrayList<>();
    for (List<Country> list : List.of(COMMON, RARE)) {
      for (Country country : list) {
        List<City> cities = new ArrayList<>();
        for (City city : country.cities()) {
          if (city.kmTo(home) >= minKm) {
            cities.add(city);
          }
        }
        if (!cities.isEmpty()) {
          byCountry.add(new Place(country, null));
          far.add(cities);
        }
      }
    }
    if (byCountry.isEmpty()) {
      throw new IllegalStateException("no city " + minKm + " km from " + home.city());
    }
    int k = rng.nextInt(byCountry.size());
    List<City> cities = far.get(k);
    return new Place(byCountry.get(k).country(), cities.get(rng.nextInt(cities.size())));
  }

  /** Dotted-quad text of a /24 prefix plus a host octet. */
  static String ip(int prefix24, int host) {
    return (prefix24 >>> 16 & 0xff) + "." + (prefix24 >>> 8 & 0xff) + "." + (prefix24 & 0xff) + "." + host;
  }
}
