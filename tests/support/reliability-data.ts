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
