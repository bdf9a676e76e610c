// Package classify decides the latency class of a workflow (realtime,
// near-realtime or scheduled) from its evidence in the aggregate
// (aggregate.WorkflowStats), with a confidence and the evidence, strongest
// first, in words a reviewer can check.
//
// Workflows classifies every workflow of an aggregate; Workflow classifies
// one against the window of the whole data set. The order of the evidence:
// an explicit rule of a rules file (ParseRules; the first that matches
// wins), then the record hints (mode batch, user_waiting, source, streaming
// with a measured time to first token) read together with the arrival
// pattern, and realtime when nothing says otherwise. The arrival classifier
// (arrival.go) looks for what separates a scheduler from people: runs that
// start within seconds of the same instant every hour, day or week at full
// speed, and runs that keep a machine's steady pace. Volume and regular
// hours alone never make a workflow scheduled, since a crowd produces them
// too, and a workflow with a part where people wait is never scheduled as
// a whole: its parts are named instead.
//
// The package never prints and never reads the clock.
package classify
