/**
 * Krippendorff (2011), "Computing Krippendorff's alpha-reliability": the reliability data of 4
 * coders × 12 units with missing values (null). Published alphas: nominal .743, ordinal .815,
 * interval .849, ratio .797.
 */
const N = null;
export const KRIPPENDORFF_2011: (number | null)[][] = [
  [1, 1, N, 1],
  [2, 2, 3, 2],
  [3, 3, 3, 3],
  [3, 3, 3, 3],
  [2, 2, 2, 2],
  [1, 2, 3, 4],
  [4, 4, 4, 4],
  [1, 1, 2, 1],
  [2, 2, 2, 2],
  [N, 5, 5, 5],
  [N, N, 1, 1],
  [N, 3, N, N],
];

/**
 * Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges. Published: ICC(1,1) .17,
 * (2,1) .29, (3,1) .71, (1,4) .44, (2,4) .62, (3,4) .91.
 */
export const SHROUT_FLEISS_1979: number[][] = [
  [9, 2, 5, 8],
  [6, 1, 3, 2],
  [8, 4, 6, 8],
  [7, 1, 2, 6],
  [10, 5, 6, 9],
  [6, 2, 4, 7],
];
