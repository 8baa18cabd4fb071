/**
 * 010: holding feedback until the trainee submits. A case's setting applies to its sessions; a
 * session's own setting (a supervisor's release, say) wins. NULL: inherit (a session from its
 * case, a case from the default, which holds).
 */
export const sql = `
ALTER TABLE cases ADD COLUMN feedback_hold INTEGER CHECK (feedback_hold IN (0, 1));
ALTER TABLE sessions ADD COLUMN feedback_hold INTEGER CHECK (feedback_hold IN (0, 1));
`;
