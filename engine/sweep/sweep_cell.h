#pragma once
// `seglab sweep run-cell <sweep-id> <key>`: what one Slurm array task runs.
// Trains the cell's config (<store>/sweeps/<id>/jobs/<key>.ini, written when
// the sweep was launched) into the store, linked to its sweep cell -- or, when
// the cell's latest run was interrupted (time limit, preemption, scancel),
// resumes that run from its checkpoint instead of starting over. A cell that
// already finished is left alone, so a requeued or resubmitted task is safe.
// Under Slurm, backend.threads defaults to SLURM_CPUS_PER_TASK.
#include <ostream>
#include <string>

namespace seglab {

// Returns the exit status: 0 finished (now or before), 130 interrupted. Throws
// for a bad sweep id or key, and rethrows a training failure (the run is
// marked failed).
int run_sweep_cell(const std::string& store_path, const std::string& sweep_id_or_prefix, const std::string& key,
                   const std::string& command_line, std::ostream& out);

}  // namespace seglab
