//! The lifecycle of a request, as one pure state machine: which step is possible in which
//! state, and who may take it.
//!
//! submitted → accepted by the building manager (or returned with a reason, or merged into
//! a duplicate) → routed to one or more departments → each assignment claimed (认领) →
//! answered → resolved (with a summary) → confirmed by the requester with a rating, or
//! reopened within 7 days; unconfirmed after 7 days it closes itself.
//!
//! The store loads the request's row and assignments under a row lock, asks [`decide`], and
//! writes what it answers together with one timeline event, so that two people acting at
//! once cannot both win.

use super::texts::RequestText;
use serde::{Deserialize, Serialize};

/// How long after resolution the requester may still reopen, and after which an
/// unconfirmed request closes itself.
pub const CONFIRM_WINDOW_SECS: i64 = 7 * 24 * 3600;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Submitted,
    Accepted,
    Returned,
    Merged,
    Routed,
    Answered,
    Resolved,
    Closed,
}

pub const ALL_STATUSES: [Status; 8] = [
    Status::Submitted,
    Status::Accepted,
    Status::Routed,
    Status::Answered,
    Status::Resolved,
    Status::Closed,
    Status::Returned,
    Status::Merged,
];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::Returned => "returned",
            Status::Merged => "merged",
            Status::Routed => "routed",
            Status::Answered => "answered",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        ALL_STATUSES.into_iter().find(|s| s.as_str() == text)
    }

    /// Nothing more happens to a request in this state.
    pub fn is_finished(self) -> bool {
        matches!(self, Status::Returned | Status::Merged | Status::Closed)
    }

    pub fn label(self) -> RequestText {
        match self {
            Status::Submitted => RequestText::StatusSubmitted,
            Status::Accepted => RequestText::StatusAccepted,
            Status::Returned => RequestText::StatusReturned,
            Status::Merged => RequestText::StatusMerged,
            Status::Routed => RequestText::StatusRouted,
            Status::Answered => RequestText::StatusAnswered,
            Status::Resolved => RequestText::StatusResolved,
            Status::Closed => RequestText::StatusClosed,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignmentStatus {
    Routed,
    Claimed,
    Answered,
}

impl AssignmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentStatus::Routed => "routed",
            AssignmentStatus::Claimed => "claimed",
            AssignmentStatus::Answered => "answered",
        }
    }

    pub fn parse(text: &str) -> Option<AssignmentStatus> {
        [
            AssignmentStatus::Routed,
            AssignmentStatus::Claimed,
            AssignmentStatus::Answered,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    pub fn label(self) -> RequestText {
        match self {
            AssignmentStatus::Routed => RequestText::AssignmentRouted,
            AssignmentStatus::Claimed => RequestText::AssignmentClaimed,
            AssignmentStatus::Answered => RequestText::AssignmentAnswered,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub id: i64,
    pub department_id: i64,
    pub status: AssignmentStatus,
}

/// What the machine needs to know about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestState {
    pub status: Status,
    pub assignments: Vec<Assignment>,
    /// Unix seconds of the resolution, for the reopen window.
    pub resolved_at: Option<i64>,
}

/// Who is acting, in every capacity they hold toward this request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    pub is_requester: bool,
    /// A building manager of the request's building.
    pub manages_building: bool,
    /// The departments whose staff the actor is.
    pub departments: Vec<i64>,
    pub is_admin: bool,
    /// The periodic job, not a person.
    pub is_system: bool,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            is_system: true,
            ..Actor::default()
        }
    }

    fn staff_of(&self, department: i64) -> bool {
        self.departments.contains(&department)
    }

    /// Staff of a department the request is routed to.
    fn assigned_staff(&self, state: &RequestState) -> Option<i64> {
        state
            .assignments
            .iter()
            .map(|a| a.department_id)
            .find(|d| self.staff_of(*d))
    }
}

/// The capacity a step was taken in, as the timeline shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Capacity {
    Requester,
    Manager,
    Department(i64),
    Admin,
    System,
}

impl Capacity {
    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Requester => "requester",
            Capacity::Manager => "manager",
            Capacity::Department(_) => "department",
            Capacity::Admin => "admin",
            Capacity::System => "system",
        }
    }

    pub fn department(self) -> Option<i64> {
        match self {
            Capacity::Department(d) => Some(d),
            _ => None,
        }
    }
}

/// A step someone asks to take. Texts (reasons, answers, summaries) are parsed apart; the
/// machine decides only whether the step is possible and what it changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Accept,
    Return,
    Merge,
    Route { departments: Vec<i64> },
    Claim { department: i64 },
    AskForInformation { department: i64 },
    Answer { department: i64 },
    Resolve,
    Confirm,
    Reopen,
    Comment,
    AutoClose,
}

impl Step {
    /// The name the step form sends.
    pub fn name(&self) -> &'static str {
        match self {
            Step::Accept => "accept",
            Step::Return => "return",
            Step::Merge => "merge",
            Step::Route { .. } => "route",
            Step::Claim { .. } => "claim",
            Step::AskForInformation { .. } => "ask",
            Step::Answer { .. } => "answer",
            Step::Resolve => "resolve",
            Step::Confirm => "confirm",
            Step::Reopen => "reopen",
            Step::Comment => "comment",
            Step::AutoClose => "auto_close",
        }
    }

    /// The department a department's step is taken for.
    pub fn department(&self) -> Option<i64> {
        match self {
            Step::Claim { department }
            | Step::AskForInformation { department }
            | Step::Answer { department } => Some(*department),
            _ => None,
        }
    }
}

/// Every step `actor` may take now, as the request page offers them (routing without its
/// departments, which the form chooses). An admin may act for any department, but the page
/// offers department work only to that department's staff.
pub fn possible_steps(state: &RequestState, actor: &Actor, now: i64) -> Vec<Step> {
    let mut candidates = vec![
        Step::Accept,
        Step::Return,
        Step::Merge,
        // Any department not yet assigned tells whether routing can still add one.
        Step::Route {
            departments: vec![i64::MAX],
        },
        Step::Resolve,
        Step::Confirm,
        Step::Reopen,
        Step::Comment,
    ];
    for a in &state.assignments {
        let department = a.department_id;
        candidates.push(Step::Claim { department });
        candidates.push(Step::AskForInformation { department });
        candidates.push(Step::Answer { department });
    }
    candidates
        .into_iter()
        .filter(|step| decide(state, actor, step, now).is_ok())
        .filter(|step| {
            step.department()
                .is_none_or(|d| actor.departments.contains(&d))
        })
        .map(|step| match step {
            Step::Route { .. } => Step::Route {
                departments: Vec::new(),
            },
            other => other,
        })
        .collect()
}

/// What a timeline event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    Submitted,
    Accepted,
    Returned,
    Merged,
    /// Another request was merged into this one.
    MergedFrom,
    Routed,
    Claimed,
    InformationRequested,
    Answered,
    Resolved,
    Confirmed,
    Reopened,
    AutoClosed,
    Commented,
    /// A deadline passed; the subdistrict admin was told.
    Escalated,
}

pub const ALL_EVENT_KINDS: [EventKind; 15] = [
    EventKind::Submitted,
    EventKind::Accepted,
    EventKind::Returned,
    EventKind::Merged,
    EventKind::MergedFrom,
    EventKind::Routed,
    EventKind::Claimed,
    EventKind::InformationRequested,
    EventKind::Answered,
    EventKind::Resolved,
    EventKind::Confirmed,
    EventKind::Reopened,
    EventKind::AutoClosed,
    EventKind::Commented,
    EventKind::Escalated,
];

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
            EventKind::Accepted => "accepted",
            EventKind::Returned => "returned",
            EventKind::Merged => "merged",
            EventKind::MergedFrom => "merged_from",
            EventKind::Routed => "routed",
            EventKind::Claimed => "claimed",
            EventKind::InformationRequested => "information_requested",
            EventKind::Answered => "answered",
            EventKind::Resolved => "resolved",
            EventKind::Confirmed => "confirmed",
            EventKind::Reopened => "reopened",
            EventKind::AutoClosed => "auto_closed",
            EventKind::Commented => "commented",
            EventKind::Escalated => "escalated",
        }
    }

    pub fn parse(text: &str) -> Option<EventKind> {
        ALL_EVENT_KINDS.into_iter().find(|k| k.as_str() == text)
    }

    pub fn label(self) -> RequestText {
        match self {
            EventKind::Submitted => RequestText::EventSubmitted,
            EventKind::Accepted => RequestText::EventAccepted,
            EventKind::Returned => RequestText::EventReturned,
            EventKind::Merged => RequestText::EventMerged,
            EventKind::MergedFrom => RequestText::EventMergedFrom,
            EventKind::Routed => RequestText::EventRouted,
            EventKind::Claimed => RequestText::EventClaimed,
            EventKind::InformationRequested => RequestText::EventInformationRequested,
            EventKind::Answered => RequestText::EventAnswered,
            EventKind::Resolved => RequestText::EventResolved,
            EventKind::Confirmed => RequestText::EventConfirmed,
            EventKind::Reopened => RequestText::EventReopened,
            EventKind::AutoClosed => RequestText::EventAutoClosed,
            EventKind::Commented => RequestText::EventCommented,
            EventKind::Escalated => RequestText::EventEscalated,
        }
    }
}

/// Who is told about an event (in-app notification), besides the person who acted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Audience {
    pub requester: bool,
    pub managers: bool,
    /// Staff of every department the request is routed to.
    pub departments: bool,
    pub admins: bool,
}

impl EventKind {
    /// The people a step concerns.
    pub fn audience(self) -> Audience {
        let requester = Audience {
            requester: true,
            ..Audience::default()
        };
        match self {
            EventKind::Submitted => Audience {
                managers: true,
                ..Audience::default()
            },
            EventKind::Accepted
            | EventKind::Returned
            | EventKind::Merged
            | EventKind::MergedFrom
            | EventKind::Claimed
            | EventKind::InformationRequested
            | EventKind::Resolved
            | EventKind::AutoClosed => requester,
            EventKind::Routed => Audience {
                requester: true,
                departments: true,
                ..Audience::default()
            },
            EventKind::Answered => Audience {
                requester: true,
                managers: true,
                ..Audience::default()
            },
            EventKind::Confirmed | EventKind::Reopened | EventKind::Commented => Audience {
                requester: true,
                managers: true,
                departments: true,
                admins: false,
            },
            EventKind::Escalated => Audience {
                admins: true,
                managers: true,
                ..Audience::default()
            },
        }
    }
}

/// A change to the request's assignments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignmentChange {
    Create { department: i64 },
    Set { id: i64, status: AssignmentStatus },
}

/// What a step does: the request's new status, its assignments' changes, the capacity the
/// actor acted in and the event for the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub status: Status,
    pub changes: Vec<AssignmentChange>,
    pub capacity: Capacity,
    pub event: EventKind,
    /// This step is the request's first response (a claim, a return or a merge).
    pub responds: bool,
}

/// Why a step is refused. `NotPermitted` is a matter of who; the rest of when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepRefused {
    NotPermitted,
    Finished,
    NotAwaitingTriage,
    NotAccepted,
    AlreadyRouted,
    NotRoutedToDepartment,
    AlreadyClaimed,
    NotClaimed,
    AlreadyAnswered,
    NotAllAnswered,
    NotResolved,
    ReopenWindowPassed,
    ConfirmWindowOpen,
}

impl StepRefused {
    pub fn text(self) -> RequestText {
        match self {
            StepRefused::NotPermitted => RequestText::RefusedNotPermitted,
            StepRefused::Finished => RequestText::RefusedFinished,
            StepRefused::NotAwaitingTriage => RequestText::RefusedNotAwaitingTriage,
            StepRefused::NotAccepted => RequestText::RefusedNotAccepted,
            StepRefused::AlreadyRouted => RequestText::RefusedAlreadyRouted,
            StepRefused::NotRoutedToDepartment => RequestText::RefusedNotRoutedToDepartment,
            StepRefused::AlreadyClaimed => RequestText::RefusedAlreadyClaimed,
            StepRefused::NotClaimed => RequestText::RefusedNotClaimed,
            StepRefused::AlreadyAnswered => RequestText::RefusedAlreadyAnswered,
            StepRefused::NotAllAnswered => RequestText::RefusedNotAllAnswered,
            StepRefused::NotResolved => RequestText::RefusedNotResolved,
            StepRefused::ReopenWindowPassed => RequestText::RefusedReopenWindowPassed,
            StepRefused::ConfirmWindowOpen => RequestText::RefusedConfirmWindowOpen,
        }
    }
}

/// Decides whether `actor` may take `step` on a request in `state` at `now` (unix seconds),
/// and what it changes.
pub fn decide(
    state: &RequestState,
    actor: &Actor,
    step: &Step,
    now: i64,
) -> Result<Decision, StepRefused> {
    use StepRefused::*;
    let capacity = capacity_for(state, actor, step).ok_or(NotPermitted)?;
    if state.status.is_finished() {
        return Err(Finished);
    }
    let decision = |status, changes, event| Decision {
        status,
        changes,
        capacity,
        event,
        responds: false,
    };
    let assignment = |department: i64| {
        state
            .assignments
            .iter()
            .find(|a| a.department_id == department)
            .copied()
            .ok_or(NotRoutedToDepartment)
    };
    match step {
        Step::Accept => match state.status {
            Status::Submitted => Ok(decision(Status::Accepted, vec![], EventKind::Accepted)),
            _ => Err(NotAwaitingTriage),
        },
        Step::Return | Step::Merge => match state.status {
            Status::Submitted | Status::Accepted => {
                let (status, event) = if *step == Step::Return {
                    (Status::Returned, EventKind::Returned)
                } else {
                    (Status::Merged, EventKind::Merged)
                };
                Ok(Decision {
                    responds: true,
                    ..decision(status, vec![], event)
                })
            }
            _ => Err(NotAwaitingTriage),
        },
        Step::Route { departments } => {
            if !matches!(
                state.status,
                Status::Accepted | Status::Routed | Status::Answered
            ) {
                return Err(NotAccepted);
            }
            let mut changes: Vec<AssignmentChange> = Vec::new();
            for &department in departments {
                let known = state
                    .assignments
                    .iter()
                    .any(|a| a.department_id == department)
                    || changes.contains(&AssignmentChange::Create { department });
                if !known {
                    changes.push(AssignmentChange::Create { department });
                }
            }
            if changes.is_empty() {
                return Err(AlreadyRouted);
            }
            Ok(decision(Status::Routed, changes, EventKind::Routed))
        }
        Step::Claim { department } => {
            let a = assignment(*department)?;
            match a.status {
                AssignmentStatus::Routed => Ok(Decision {
                    responds: true,
                    ..decision(
                        state.status,
                        vec![AssignmentChange::Set {
                            id: a.id,
                            status: AssignmentStatus::Claimed,
                        }],
                        EventKind::Claimed,
                    )
                }),
                _ => Err(AlreadyClaimed),
            }
        }
        Step::AskForInformation { department } => {
            let a = assignment(*department)?;
            match a.status {
                AssignmentStatus::Claimed => Ok(decision(
                    state.status,
                    vec![],
                    EventKind::InformationRequested,
                )),
                AssignmentStatus::Routed => Err(NotClaimed),
                AssignmentStatus::Answered => Err(AlreadyAnswered),
            }
        }
        Step::Answer { department } => {
            let a = assignment(*department)?;
            match a.status {
                AssignmentStatus::Claimed => {
                    let others_answered = state
                        .assignments
                        .iter()
                        .filter(|o| o.id != a.id)
                        .all(|o| o.status == AssignmentStatus::Answered);
                    let status = if others_answered {
                        Status::Answered
                    } else {
                        state.status
                    };
                    Ok(decision(
                        status,
                        vec![AssignmentChange::Set {
                            id: a.id,
                            status: AssignmentStatus::Answered,
                        }],
                        EventKind::Answered,
                    ))
                }
                AssignmentStatus::Routed => Err(NotClaimed),
                AssignmentStatus::Answered => Err(AlreadyAnswered),
            }
        }
        Step::Resolve => match state.status {
            Status::Answered => Ok(decision(Status::Resolved, vec![], EventKind::Resolved)),
            Status::Routed => Err(NotAllAnswered),
            Status::Resolved => Err(AlreadyAnswered),
            _ => Err(NotAccepted),
        },
        Step::Confirm => match state.status {
            Status::Resolved => Ok(decision(Status::Closed, vec![], EventKind::Confirmed)),
            _ => Err(NotResolved),
        },
        Step::Reopen => match (state.status, state.resolved_at) {
            (Status::Resolved, Some(at)) if now - at <= CONFIRM_WINDOW_SECS => {
                // The same departments take it up again and must answer anew.
                let changes = state
                    .assignments
                    .iter()
                    .map(|a| AssignmentChange::Set {
                        id: a.id,
                        status: AssignmentStatus::Claimed,
                    })
                    .collect();
                Ok(decision(Status::Routed, changes, EventKind::Reopened))
            }
            (Status::Resolved, _) => Err(ReopenWindowPassed),
            _ => Err(NotResolved),
        },
        Step::AutoClose => match (state.status, state.resolved_at) {
            (Status::Resolved, Some(at)) if now - at >= CONFIRM_WINDOW_SECS => {
                Ok(decision(Status::Closed, vec![], EventKind::AutoClosed))
            }
            (Status::Resolved, _) => Err(ConfirmWindowOpen),
            _ => Err(NotResolved),
        },
        Step::Comment => Ok(decision(state.status, vec![], EventKind::Commented)),
    }
}

/// The capacity in which `actor` may take `step`, if any. A specific role is preferred to
/// the admin's general one, so the timeline says "the building manager accepted".
fn capacity_for(state: &RequestState, actor: &Actor, step: &Step) -> Option<Capacity> {
    let admin = actor.is_admin.then_some(Capacity::Admin);
    let manager = actor.manages_building.then_some(Capacity::Manager);
    let requester = actor.is_requester.then_some(Capacity::Requester);
    let staff_of = |d: i64| actor.staff_of(d).then_some(Capacity::Department(d));
    let assigned_staff = actor.assigned_staff(state).map(Capacity::Department);
    match step {
        Step::Accept | Step::Return | Step::Merge | Step::Route { .. } => manager.or(admin),
        Step::Claim { department }
        | Step::AskForInformation { department }
        | Step::Answer { department } => staff_of(*department).or(admin),
        Step::Resolve => assigned_staff.or(manager).or(admin),
        // Only the person who raised it can say whether it is solved for them.
        Step::Confirm | Step::Reopen => requester,
        Step::Comment => requester.or(manager).or(assigned_staff).or(admin),
        Step::AutoClose => actor.is_system.then_some(Capacity::System),
    }
}

/// Whether `actor` may read the request at all: everyone involved, and no one else.
pub fn may_view(state: &RequestState, actor: &Actor) -> bool {
    actor.is_requester
        || actor.manages_building
        || actor.is_admin
        || actor.assigned_staff(state).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssignmentStatus as A;
    use StepRefused::*;

    const NOW: i64 = 1_780_000_000;
    const DEPT: i64 = 3;
    const OTHER_DEPT: i64 = 4;

    fn state(status: Status, assignments: &[(i64, AssignmentStatus)]) -> RequestState {
        RequestState {
            status,
            assignments: assignments
                .iter()
                .enumerate()
                .map(|(i, (department_id, status))| Assignment {
                    id: i as i64 + 10,
                    department_id: *department_id,
                    status: *status,
                })
                .collect(),
            resolved_at: (status == Status::Resolved).then_some(NOW - 3600),
        }
    }

    fn requester() -> Actor {
        Actor {
            is_requester: true,
            ..Actor::default()
        }
    }
    fn manager() -> Actor {
        Actor {
            manages_building: true,
            ..Actor::default()
        }
    }
    fn staff(department: i64) -> Actor {
        Actor {
            departments: vec![department],
            ..Actor::default()
        }
    }
    fn admin() -> Actor {
        Actor {
            is_admin: true,
            ..Actor::default()
        }
    }
    fn stranger() -> Actor {
        Actor::default()
    }

    /// Every actor, with whether they may take `step` at all (in a state that allows it).
    fn everyone() -> Vec<(&'static str, Actor)> {
        vec![
            ("requester", requester()),
            ("manager", manager()),
            ("staff", staff(DEPT)),
            ("other staff", staff(OTHER_DEPT)),
            ("admin", admin()),
            ("stranger", stranger()),
            ("system", Actor::system()),
        ]
    }

    fn check_who(step: Step, at: &RequestState, allowed: &[&str]) {
        for (name, actor) in everyone() {
            let result = decide(at, &actor, &step, NOW);
            assert_eq!(
                result.is_ok(),
                allowed.contains(&name),
                "{name} taking {step:?} in {:?}: {result:?}",
                at.status
            );
            if !allowed.contains(&name) {
                assert_eq!(result, Err(NotPermitted), "{name} taking {step:?}");
            }
        }
    }

    #[test]
    fn who_may_take_each_step() {
        let submitted = state(Status::Submitted, &[]);
        let accepted = state(Status::Accepted, &[]);
        let routed = state(Status::Routed, &[(DEPT, A::Routed)]);
        let claimed = state(Status::Routed, &[(DEPT, A::Claimed)]);
        let answered = state(Status::Answered, &[(DEPT, A::Answered)]);
        let resolved = state(Status::Resolved, &[(DEPT, A::Answered)]);
        let triage = ["manager", "admin"];
        check_who(Step::Accept, &submitted, &triage);
        check_who(Step::Return, &submitted, &triage);
        check_who(Step::Merge, &accepted, &triage);
        check_who(
            Step::Route {
                departments: vec![DEPT],
            },
            &accepted,
            &triage,
        );
        let dept = ["staff", "admin"];
        check_who(Step::Claim { department: DEPT }, &routed, &dept);
        check_who(
            Step::AskForInformation { department: DEPT },
            &claimed,
            &dept,
        );
        check_who(Step::Answer { department: DEPT }, &claimed, &dept);
        check_who(Step::Resolve, &answered, &["manager", "staff", "admin"]);
        check_who(Step::Confirm, &resolved, &["requester"]);
        check_who(Step::Reopen, &resolved, &["requester"]);
        check_who(
            Step::Comment,
            &claimed,
            &["requester", "manager", "staff", "admin"],
        );
        let old = RequestState {
            resolved_at: Some(NOW - CONFIRM_WINDOW_SECS),
            ..resolved.clone()
        };
        check_who(Step::AutoClose, &old, &["system"]);
    }

    #[test]
    fn the_happy_path_from_submission_to_confirmation() {
        let mut s = state(Status::Submitted, &[]);
        let apply = |s: &mut RequestState, actor: &Actor, step: Step| {
            let d = decide(s, actor, &step, NOW).unwrap_or_else(|e| panic!("{step:?}: {e:?}"));
            s.status = d.status;
            for change in &d.changes {
                match *change {
                    AssignmentChange::Create { department } => s.assignments.push(Assignment {
                        id: 100 + department,
                        department_id: department,
                        status: A::Routed,
                    }),
                    AssignmentChange::Set { id, status } => {
                        s.assignments
                            .iter_mut()
                            .find(|a| a.id == id)
                            .unwrap()
                            .status = status
                    }
                }
            }
            if d.status == Status::Resolved {
                s.resolved_at = Some(NOW);
            }
            d
        };
        assert_eq!(
            apply(&mut s, &manager(), Step::Accept).event,
            EventKind::Accepted
        );
        let routed = apply(
            &mut s,
            &manager(),
            Step::Route {
                departments: vec![DEPT, OTHER_DEPT, DEPT],
            },
        );
        assert_eq!(routed.changes.len(), 2, "a department is routed to once");
        assert_eq!(s.status, Status::Routed);
        let claim = apply(&mut s, &staff(DEPT), Step::Claim { department: DEPT });
        assert!(claim.responds);
        assert_eq!(claim.capacity, Capacity::Department(DEPT));
        apply(&mut s, &staff(DEPT), Step::Answer { department: DEPT });
        assert_eq!(
            s.status,
            Status::Routed,
            "one department still has to answer"
        );
        apply(
            &mut s,
            &staff(OTHER_DEPT),
            Step::Claim {
                department: OTHER_DEPT,
            },
        );
        apply(
            &mut s,
            &staff(OTHER_DEPT),
            Step::Answer {
                department: OTHER_DEPT,
            },
        );
        assert_eq!(s.status, Status::Answered);
        apply(&mut s, &staff(DEPT), Step::Resolve);
        assert_eq!(s.status, Status::Resolved);
        let confirmed = apply(&mut s, &requester(), Step::Confirm);
        assert_eq!(
            (s.status, confirmed.event),
            (Status::Closed, EventKind::Confirmed)
        );
        assert_eq!(
            decide(&s, &requester(), &Step::Comment, NOW),
            Err(Finished),
            "a closed request takes no more steps"
        );
    }

    #[test]
    fn steps_out_of_order_are_refused_with_the_reason() {
        let routed = state(Status::Routed, &[(DEPT, A::Routed)]);
        let claimed = state(Status::Routed, &[(DEPT, A::Claimed)]);
        let answered = state(Status::Answered, &[(DEPT, A::Answered)]);
        let cases: Vec<(RequestState, Actor, Step, StepRefused)> = vec![
            (
                state(Status::Submitted, &[]),
                manager(),
                Step::Route {
                    departments: vec![DEPT],
                },
                NotAccepted,
            ),
            (routed.clone(), manager(), Step::Accept, NotAwaitingTriage),
            (routed.clone(), manager(), Step::Return, NotAwaitingTriage),
            (
                routed.clone(),
                manager(),
                Step::Route {
                    departments: vec![DEPT],
                },
                AlreadyRouted,
            ),
            (
                routed.clone(),
                staff(DEPT),
                Step::Answer { department: DEPT },
                NotClaimed,
            ),
            (
                routed.clone(),
                staff(DEPT),
                Step::AskForInformation { department: DEPT },
                NotClaimed,
            ),
            (routed.clone(), staff(DEPT), Step::Resolve, NotAllAnswered),
            (
                routed.clone(),
                admin(),
                Step::Claim {
                    department: OTHER_DEPT,
                },
                NotRoutedToDepartment,
            ),
            (
                claimed.clone(),
                staff(DEPT),
                Step::Claim { department: DEPT },
                AlreadyClaimed,
            ),
            (
                answered.clone(),
                staff(DEPT),
                Step::Answer { department: DEPT },
                AlreadyAnswered,
            ),
            (answered.clone(), requester(), Step::Confirm, NotResolved),
            (answered.clone(), requester(), Step::Reopen, NotResolved),
            (
                answered.clone(),
                Actor::system(),
                Step::AutoClose,
                NotResolved,
            ),
            (
                state(Status::Resolved, &[(DEPT, A::Answered)]),
                Actor::system(),
                Step::AutoClose,
                ConfirmWindowOpen,
            ),
            (
                state(Status::Returned, &[]),
                manager(),
                Step::Accept,
                Finished,
            ),
            (
                state(Status::Merged, &[]),
                requester(),
                Step::Comment,
                Finished,
            ),
        ];
        for (s, actor, step, refused) in cases {
            assert_eq!(
                decide(&s, &actor, &step, NOW),
                Err(refused),
                "{step:?} in {:?}",
                s.status
            );
        }
    }

    #[test]
    fn reopening_is_possible_for_seven_days_and_sends_it_back_to_the_departments() {
        let mut s = state(
            Status::Resolved,
            &[(DEPT, A::Answered), (OTHER_DEPT, A::Answered)],
        );
        s.resolved_at = Some(NOW - CONFIRM_WINDOW_SECS + 60);
        let d = decide(&s, &requester(), &Step::Reopen, NOW).unwrap();
        assert_eq!(d.status, Status::Routed);
        assert!(d.changes.iter().all(|c| matches!(
            c,
            AssignmentChange::Set {
                status: A::Claimed,
                ..
            }
        )));
        assert_eq!(d.changes.len(), 2);
        s.resolved_at = Some(NOW - CONFIRM_WINDOW_SECS - 1);
        assert_eq!(
            decide(&s, &requester(), &Step::Reopen, NOW),
            Err(ReopenWindowPassed)
        );
        let closed = decide(&s, &Actor::system(), &Step::AutoClose, NOW).unwrap();
        assert_eq!(
            (closed.status, closed.event),
            (Status::Closed, EventKind::AutoClosed)
        );
    }

    #[test]
    fn returning_and_merging_count_as_the_first_response() {
        for step in [Step::Return, Step::Merge] {
            let d = decide(&state(Status::Submitted, &[]), &manager(), &step, NOW).unwrap();
            assert!(d.responds);
            assert!(d.status.is_finished());
        }
        let accepted = decide(
            &state(Status::Submitted, &[]),
            &manager(),
            &Step::Accept,
            NOW,
        );
        assert!(
            !accepted.unwrap().responds,
            "accepting is not yet a department's response"
        );
    }

    #[test]
    fn specific_capacities_win_over_admin() {
        let both = Actor {
            manages_building: true,
            is_admin: true,
            ..Actor::default()
        };
        let d = decide(&state(Status::Submitted, &[]), &both, &Step::Accept, NOW).unwrap();
        assert_eq!(d.capacity, Capacity::Manager);
        let d = decide(&state(Status::Submitted, &[]), &admin(), &Step::Accept, NOW).unwrap();
        assert_eq!(d.capacity, Capacity::Admin);
    }

    #[test]
    fn only_those_involved_may_view() {
        let s = state(Status::Routed, &[(DEPT, A::Routed)]);
        assert!(may_view(&s, &requester()));
        assert!(may_view(&s, &manager()));
        assert!(may_view(&s, &staff(DEPT)));
        assert!(may_view(&s, &admin()));
        assert!(!may_view(&s, &staff(OTHER_DEPT)));
        assert!(!may_view(&s, &stranger()));
    }

    #[test]
    fn the_page_offers_what_each_person_may_do_now() {
        let claimed = state(Status::Routed, &[(DEPT, A::Claimed)]);
        let names = |actor: &Actor| -> Vec<&str> {
            possible_steps(&claimed, actor, NOW)
                .iter()
                .map(Step::name)
                .collect()
        };
        assert_eq!(names(&staff(DEPT)), vec!["comment", "ask", "answer"]);
        assert_eq!(names(&manager()), vec!["route", "comment"]);
        assert_eq!(
            names(&admin()),
            vec!["route", "comment"],
            "department work stays with staff"
        );
        assert_eq!(names(&requester()), vec!["comment"]);
        assert!(names(&staff(OTHER_DEPT)).is_empty());
        let resolved = state(Status::Resolved, &[(DEPT, A::Answered)]);
        let steps = possible_steps(&resolved, &requester(), NOW);
        assert_eq!(steps, vec![Step::Confirm, Step::Reopen, Step::Comment]);
    }

    #[test]
    fn the_people_concerned_are_told() {
        assert!(EventKind::Submitted.audience().managers);
        assert!(!EventKind::Submitted.audience().requester);
        assert!(EventKind::Routed.audience().departments);
        assert!(EventKind::Answered.audience().requester);
        assert!(EventKind::Escalated.audience().admins);
        for kind in ALL_EVENT_KINDS {
            assert_ne!(
                kind.audience(),
                Audience::default(),
                "{kind:?} tells no one"
            );
        }
    }

    #[test]
    fn names_round_trip() {
        for s in ALL_STATUSES {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for k in ALL_EVENT_KINDS {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
        for a in [A::Routed, A::Claimed, A::Answered] {
            assert_eq!(AssignmentStatus::parse(a.as_str()), Some(a));
        }
    }
}
