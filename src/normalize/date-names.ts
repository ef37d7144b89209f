// Names the date parser recognises: month names (English and the common European abbreviations
// feeds write, e.g. "Dez", "mer, 16 nov", "Seg, 24 Set"), and time-zone names with their UTC offsets.

/** Lowercased month name or abbreviation → month number (1–12). */
export const MONTHS: ReadonlyMap<string, number> = new Map(
  (
    [
      [1, 'january jan janv jän jänner ene enero gen gennaio janeiro januar janvier januari'],
      [2, 'february feb febr fév févr fev fevereiro februar février febbraio febrero februari'],
      [3, 'march mar mär märz mrz mars marzo março maart'],
      [4, 'april apr avr avril abr abril aprile'],
      [5, 'may mai mag maggio mayo maio mei'],
      [6, 'june jun juin juni giu giugno junio junho'],
      [7, 'july jul juil juillet juli lug luglio julio julho'],
      [8, 'august aug août aou ago agosto augustus'],
      [9, 'september sep sept set settembre septiembre setembro septembre'],
      [10, 'october oct okt ott ottobre octubre out outubro oktober octobre'],
      [11, 'november nov novembre noviembre novembro'],
      [12, 'december dec dez déc dic dicembre diciembre dezembro dezember décembre'],
    ] as const
  ).flatMap(([month, names]) => names.split(' ').map((name) => [name, month] as const)),
);

/** Time-zone abbreviation → offset from UTC in minutes. Ambiguous ones take their most common news use. */
export const ZONES: ReadonlyMap<string, number> = new Map(
  Object.entries({
    UT: 0,
    UTC: 0,
    GMT: 0,
    Z: 0,
    WET: 0,
    EST: -300,
    EDT: -240,
    CST: -360,
    CDT: -300,
    MST: -420,
    MDT: -360,
    PST: -480,
    PDT: -420,
    AKST: -540,
    AKDT: -480,
    HST: -600,
    AST: -240,
    ADT: -180,
    NST: -210,
    NDT: -150,
    BST: 60,
    IST: 330,
    CET: 60,
    CEST: 120,
    MET: 60,
    MEST: 120,
    MEZ: 60,
    MESZ: 120,
    WEST: 60,
    EET: 120,
    EEST: 180,
    MSK: 180,
    TRT: 180,
    GST: 240,
    PKT: 300,
    ICT: 420,
    WIB: 420,
    HKT: 480,
    SGT: 480,
    PHT: 480,
    AWST: 480,
    JST: 540,
    KST: 540,
    ACST: 570,
    AEST: 600,
    AEDT: 660,
    NZST: 720,
    NZDT: 780,
    CAT: 120,
    EAT: 180,
    WAT: 60,
    SAST: 120,
    BRT: -180,
    ART: -180,
  }),
);

/** Military single-letter zones (A–I = +1…+9, K–M = +10…+12, N–Y = −1…−12, Z = 0), in minutes. */
export function militaryZoneOffset(letter: string): number | null {
  const code = letter.toUpperCase().charCodeAt(0);
  if (letter.length !== 1 || code < 65 || code > 90 || letter.toUpperCase() === 'J') return null;
  if (letter.toUpperCase() === 'Z') return 0;
  if (code <= 73) return (code - 64) * 60;
  if (code <= 77) return (code - 65) * 60;
  return -(code - 77) * 60;
}
