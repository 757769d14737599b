// The weather table this server ships. Everything the tools return is derived from it with pure
// functions (no clock, no randomness, no network), so every call is reproducible: datasets built
// from live calls are byte-identical across machines and runs.

export const CLIMATES = ['tropical', 'arid', 'mediterranean', 'temperate', 'continental', 'polar'] as const;
export type Climate = (typeof CLIMATES)[number];

export const METRICS = ['temperature', 'humidity', 'wind', 'precipitation'] as const;
export type Metric = (typeof METRICS)[number];

export const UNITS = ['celsius', 'fahrenheit'] as const;
export type Units = (typeof UNITS)[number];

export interface City {
  name: string;
  country: string;
  countryCode: string;
  lat: number;
  lon: number;
  climate: Climate;
  /** Today's temperature in °C. */
  tempC: number;
  humidityPct: number;
  windKph: number;
  precipMm: number;
}

// name, country, code, lat, lon, climate, tempC, humidity %, wind km/h, precipitation mm
type Row = [string, string, string, number, number, Climate, number, number, number, number];
const ROWS: Row[] = [
  ['London', 'United Kingdom', 'GB', 51.5074, -0.1278, 'temperate', 11, 81, 17, 2.4],
  ['Paris', 'France', 'FR', 48.8566, 2.3522, 'temperate', 13, 72, 12, 0.8],
  ['Berlin', 'Germany', 'DE', 52.52, 13.405, 'temperate', 9, 76, 15, 1.1],
  ['Madrid', 'Spain', 'ES', 40.4168, -3.7038, 'mediterranean', 19, 45, 9, 0],
  ['Rome', 'Italy', 'IT', 41.9028, 12.4964, 'mediterranean', 21, 58, 8, 0],
  ['Athens', 'Greece', 'GR', 37.9838, 23.7275, 'mediterranean', 24, 50, 14, 0],
  ['Lisbon', 'Portugal', 'PT', 38.7223, -9.1393, 'mediterranean', 20, 66, 19, 0.3],
  ['Oslo', 'Norway', 'NO', 59.9139, 10.7522, 'continental', 4, 79, 11, 3.2],
  ['Stockholm', 'Sweden', 'SE', 59.3293, 18.0686, 'continental', 6, 74, 13, 1.7],
  ['Moscow', 'Russia', 'RU', 55.7558, 37.6173, 'continental', -3, 84, 10, 4.5],
  ['Reykjavik', 'Iceland', 'IS', 64.1466, -21.9426, 'polar', 2, 83, 31, 5.1],
  ['Cairo', 'Egypt', 'EG', 30.0444, 31.2357, 'arid', 29, 31, 16, 0],
  ['Dubai', 'United Arab Emirates', 'AE', 25.2048, 55.2708, 'arid', 35, 48, 14, 0],
  ['Riyadh', 'Saudi Arabia', 'SA', 24.7136, 46.6753, 'arid', 37, 18, 12, 0],
  ['Phoenix', 'United States', 'US', 33.4484, -112.074, 'arid', 33, 20, 9, 0],
  ['New York', 'United States', 'US', 40.7128, -74.006, 'temperate', 15, 63, 18, 1.2],
  ['Chicago', 'United States', 'US', 41.8781, -87.6298, 'continental', 8, 68, 24, 2],
  ['San Francisco', 'United States', 'US', 37.7749, -122.4194, 'mediterranean', 16, 77, 21, 0.2],
  ['Miami', 'United States', 'US', 25.7617, -80.1918, 'tropical', 29, 78, 15, 6.3],
  ['Anchorage', 'United States', 'US', 61.2181, -149.9003, 'polar', -6, 71, 13, 1.4],
  ['Mexico City', 'Mexico', 'MX', 19.4326, -99.1332, 'temperate', 18, 55, 7, 3],
  ['Rio de Janeiro', 'Brazil', 'BR', -22.9068, -43.1729, 'tropical', 27, 79, 11, 4.2],
  ['Buenos Aires', 'Argentina', 'AR', -34.6037, -58.3816, 'temperate', 17, 70, 16, 1.9],
  ['Lagos', 'Nigeria', 'NG', 6.5244, 3.3792, 'tropical', 30, 83, 10, 8.7],
  ['Nairobi', 'Kenya', 'KE', -1.2921, 36.8219, 'temperate', 22, 60, 12, 2.6],
  ['Cape Town', 'South Africa', 'ZA', -33.9249, 18.4241, 'mediterranean', 18, 69, 27, 0.9],
  ['Mumbai', 'India', 'IN', 19.076, 72.8777, 'tropical', 31, 80, 13, 11.4],
  ['Singapore', 'Singapore', 'SG', 1.3521, 103.8198, 'tropical', 28, 85, 9, 9.8],
  ['Tokyo', 'Japan', 'JP', 35.6762, 139.6503, 'temperate', 17, 67, 14, 1.5],
  ['Sydney', 'Australia', 'AU', -33.8688, 151.2093, 'temperate', 23, 64, 20, 0.7],
  ['Nuuk', 'Greenland', 'GL', 64.1814, -51.6941, 'polar', -9, 75, 26, 2.2],
];

export const CITIES: readonly City[] = ROWS.map(([name, country, countryCode, lat, lon, climate, tempC, humidityPct, windKph, precipMm]) => ({
  name,
  country,
  countryCode,
  lat,
  lon,
  climate,
  tempC,
  humidityPct,
  windKph,
  precipMm,
}));

/** Finds a city by name, ignoring case, surrounding spaces and a trailing ", <country or code>". */
export function findCity(query: string): City | undefined {
  const wanted = query.trim().toLowerCase();
  const exact = CITIES.find((c) => c.name.toLowerCase() === wanted);
  if (exact) return exact;
  const [name, country] = wanted.split(',').map((s) => s.trim());
  return CITIES.find(
    (c) => c.name.toLowerCase() === name && (!country || c.country.toLowerCase() === country || c.countryCode.toLowerCase() === country),
  );
}

export function unknownCityMessage(query: string): string {
  return `Unknown city: "${query}". This server knows ${CITIES.length} cities; use search_cities to list them.`;
}

// FNV-1a: a tiny stable hash, so forecast variation depends only on (city, day).
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A value in [-1, 1] fixed for (city, day, what). */
function wobble(city: City, day: number, what: string): number {
  return (hash(`${city.name}|${day}|${what}`) % 2001) / 1000 - 1;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function toUnits(celsius: number, units: Units): number {
  return units === 'fahrenheit' ? round1((celsius * 9) / 5 + 32) : round1(celsius);
}

export function conditionOf(city: City, precipMm: number, humidityPct: number): string {
  if (precipMm > 0 && city.tempC <= 0) return 'snow';
  if (precipMm >= 5) return 'heavy rain';
  if (precipMm > 0) return 'light rain';
  if (humidityPct >= 75) return 'overcast';
  if (humidityPct >= 55) return 'partly cloudy';
  return 'sunny';
}

export interface Current {
  tempC: number;
  feelsLikeC: number;
  humidityPct: number;
  windKph: number;
  precipMm: number;
  condition: string;
}

export function currentWeather(city: City): Current {
  // Wind chill below 10 °C, humidity makes heat feel hotter above 27 °C: a rough but monotone rule.
  const feels = city.tempC < 10 ? city.tempC - city.windKph / 10 : city.tempC > 27 ? city.tempC + (city.humidityPct - 40) / 10 : city.tempC;
  return {
    tempC: city.tempC,
    feelsLikeC: round1(feels),
    humidityPct: city.humidityPct,
    windKph: city.windKph,
    precipMm: city.precipMm,
    condition: conditionOf(city, city.precipMm, city.humidityPct),
  };
}

export interface ForecastDay {
  day: number;
  highC: number;
  lowC: number;
  precipMm: number;
  windKph: number;
  humidityPct: number;
  condition: string;
}

/** Day 1 is tomorrow. */
export function forecastDay(city: City, day: number): ForecastDay {
  const mid = city.tempC + 3 * wobble(city, day, 't');
  const spread = city.climate === 'arid' ? 12 : city.climate === 'tropical' ? 6 : 8;
  const humidityPct = Math.max(5, Math.min(100, Math.round(city.humidityPct + 10 * wobble(city, day, 'h'))));
  const windKph = Math.max(0, Math.round(city.windKph + 6 * wobble(city, day, 'w')));
  const precipMm = Math.max(0, round1(city.precipMm + 2 * wobble(city, day, 'p')));
  return {
    day,
    highC: round1(mid + spread / 2),
    lowC: round1(mid - spread / 2),
    precipMm,
    windKph,
    humidityPct,
    condition: conditionOf({ ...city, tempC: mid }, precipMm, humidityPct),
  };
}

/** The value of a metric today, in metric units (°C, %, km/h, mm). */
export function metricValue(city: City, metric: Metric): number {
  const now = currentWeather(city);
  switch (metric) {
    case 'temperature':
      return now.tempC;
    case 'humidity':
      return now.humidityPct;
    case 'wind':
      return now.windKph;
    case 'precipitation':
      return now.precipMm;
  }
}

export const METRIC_UNITS: Record<Metric, string> = { temperature: '°C', humidity: '%', wind: 'km/h', precipitation: 'mm' };
