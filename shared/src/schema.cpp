#include "psc/schema.hpp"

#include "psc/civil_date.hpp"

namespace psc {

// --- enumerations ------------------------------------------------------------
// Hartford's lists are kept in code because the core reads no files;
// tests/core/validation_test.cpp checks they match server/data/hartford.json.

const std::vector<std::string>& priority_categories() {
  static const std::vector<std::string> k = {
      "public_safety", "quality_of_life",        "housing_blight", "traffic_streets",
      "youth",         "environment_sanitation", "economic",       "other"};
  return k;
}
const std::vector<std::string>& priority_statuses() {
  static const std::vector<std::string> k = {"proposed", "adopted", "in_progress", "resolved", "dropped"};
  return k;
}
const std::vector<std::string>& organization_kinds() {
  static const std::vector<std::string> k = {"psc",    "block_group", "business", "religious", "club",
                                             "tenant", "nrz",         "school",   "other"};
  return k;
}
const std::vector<std::string>& department_slugs() {
  static const std::vector<std::string> k = {"police",
                                             "public-works",
                                             "licenses-inspections",
                                             "health-human-services",
                                             "development-services",
                                             "blight-remediation",
                                             "parks-recreation",
                                             "fire",
                                             "other"};
  return k;
}
const std::vector<std::string>& meeting_kinds() {
  static const std::vector<std::string> k = {"psc", "block_group", "citywide_leaders"};
  return k;
}
const std::vector<std::string>& meeting_statuses() {
  static const std::vector<std::string> k = {"planned", "held", "closed"};
  return k;
}
const std::vector<std::string>& attendance_roles() {
  static const std::vector<std::string> k = {"resident", "business", "police", "city_staff", "other"};
  return k;
}
const std::vector<std::string>& outcome_verdicts() {
  static const std::vector<std::string> k = {"confirmed", "not_solved", "came_back"};
  return k;
}
const std::vector<std::string>& agency_kinds() {
  static const std::vector<std::string> k = {"city", "police", "state", "court", "other"};
  return k;
}
const std::vector<std::string>& commitment_statuses() {
  static const std::vector<std::string> k = {"acknowledged", "in_progress", "done", "declined"};
  return k;
}

// --- formats -----------------------------------------------------------------

bool is_valid_date(std::string_view t) { return parse_civil_date(t).has_value(); }

bool is_valid_datetime(std::string_view t) {
  // YYYY-MM-DDTHH:MMZ or YYYY-MM-DDTHH:MM:SSZ
  if ((t.size() != 17 && t.size() != 20) || !is_valid_date(t.substr(0, 10)) || t[10] != 'T' ||
      t.back() != 'Z')
    return false;
  const auto hour = parse_digits(t, 11, 2), minute = parse_digits(t, 14, 2);
  if (!hour || t[13] != ':' || !minute || *hour > 23 || *minute > 59) return false;
  if (t.size() == 20) {
    const auto second = parse_digits(t, 17, 2);
    if (t[16] != ':' || !second || *second > 59) return false;
  }
  return true;
}

// --- the schema table ----------------------------------------------------------

const FieldSpec* RecordSchema::field(std::string_view name) const {
  for (const auto& spec : fields)
    if (spec.name == name) return &spec;
  return nullptr;
}

namespace {

struct Field {
  FieldSpec spec;
  Field(std::string name, FieldKind kind) {
    spec.name = std::move(name);
    spec.kind = kind;
  }
  Field& required() {
    spec.required = true;
    return *this;
  }
  Field& immutable() {
    spec.immutable = true;
    return *this;
  }
  Field& max_length(std::size_t n) {
    spec.max_length = n;
    return *this;
  }
  Field& range(long long lo, long long hi) {
    spec.min = lo;
    spec.max = hi;
    return *this;
  }
  operator FieldSpec() const { return spec; }  // NOLINT: table syntax
};

Field text(std::string name, std::size_t max) {
  return Field(std::move(name), FieldKind::text).max_length(max);
}
Field one_of(std::string name, const std::vector<std::string>& allowed) {
  Field f(std::move(name), FieldKind::enumeration);
  f.spec.allowed = allowed;
  return f;
}
// A department or category: one of the live records coordinators manage
// (the built-in list until the replica holds any).
Field category(std::string name) {
  Field f = one_of(std::move(name), priority_categories());
  f.spec.listed_in = "category";
  return f;
}
Field department(std::string name) {
  Field f = one_of(std::move(name), department_slugs());
  f.spec.listed_in = "department";
  return f;
}
Field ref(std::string name, std::string type) {
  Field f(std::move(name), FieldKind::reference);
  f.spec.ref_type = std::move(type);
  return f;
}
Field integer(std::string name, long long lo, long long hi) {
  return Field(std::move(name), FieldKind::integer).range(lo, hi);
}
Field boolean(std::string name) { return Field(std::move(name), FieldKind::boolean); }
Field date(std::string name) { return Field(std::move(name), FieldKind::date); }
Field datetime(std::string name) { return Field(std::move(name), FieldKind::datetime); }
Field coordinates(std::string name) { return Field(std::move(name), FieldKind::coordinates); }

RecordSchema schema(std::string type, std::string scope_field, std::vector<FieldSpec> fields) {
  RecordSchema s;
  s.type = std::move(type);
  s.scope_field = std::move(scope_field);
  s.fields = std::move(fields);
  return s;
}

std::vector<RecordSchema> build_schemas() {
  std::vector<RecordSchema> all;

  RecordSchema neighborhood = schema("neighborhood", "", {text("name", 100).required()});
  neighborhood.reference_data = true;
  all.push_back(neighborhood);

  // The city's lists, managed by coordinators in the app: the departments
  // and agencies that answer priorities, and the kinds of problem. Seeded
  // from server/data/hartford.json; the id is the slug priorities and
  // commitments name, so a department can be renamed, not re-identified. An
  // inactive one is no longer offered but keeps its history.
  for (RecordSchema list :
       {schema("department", "",
               {text("name", 200).required(), text("name_es", 200), one_of("kind", agency_kinds()),
                boolean("active")}),
        schema("category", "", {text("name", 100).required(), text("name_es", 100), boolean("active")})}) {
    list.reference_data = true;
    list.coordinator_managed = true;
    all.push_back(list);
  }

  // Scope fields are immutable: the neighborhood decides who may see and edit
  // a record, so it cannot move after creation.
  // An organization's membership of the PSC over time: joined and left
  // (dates), active, and who represents it. The representation check
  // counts the organizations that were members on the meeting's day.
  all.push_back(
      schema("organization", "neighborhood",
             {text("name", 200).required(), one_of("kind", organization_kinds()).required(),
              ref("neighborhood", "neighborhood").required().immutable(), ref("parent", "organization"),
              date("joined_on"), date("left_on"), boolean("active"), text("representative", 200)}));

  all.push_back(schema(
      "meeting", "neighborhood",
      {ref("neighborhood", "neighborhood").required().immutable(), ref("organization", "organization"),
       one_of("kind", meeting_kinds()).required(), text("title", 200).required(),
       datetime("start").required(), text("location", 200), one_of("status", meeting_statuses()).required(),
       integer("headcount", 0, 100000), text("minutes", 20000), integer("dots_per_attendee", 1, 20)}));

  all.push_back(
      schema("agenda_item", "meeting",
             {ref("meeting", "meeting").required().immutable(), integer("order", 0, 1000).required(),
              text("title", 200).required(), text("notes", 4000)}));

  // At the city-wide leaders' meeting each leader signs in with the
  // neighborhood they speak for and department staff with their department.
  all.push_back(schema("attendance", "meeting",
                       {ref("meeting", "meeting").required().immutable(), text("name", 200).required(),
                        ref("organization", "organization"), one_of("role", attendance_roles()).required(),
                        ref("neighborhood", "neighborhood"), department("department")}));

  all.push_back(schema("priority", "neighborhood",
                       {text("title", 200).required(), text("description", 4000),
                        category("category").required(), one_of("status", priority_statuses()).required(),
                        ref("neighborhood", "neighborhood").required().immutable(), text("address", 200),
                        ref("meeting", "meeting"), integer("rank", 1, 1000),
                        // The department the PSC addresses it to (its liaison sees it before
                        // any commitment exists) and the day it was adopted (the start of the
                        // scorecards' "days to first response").
                        department("department"), date("adopted_on"),
                        // Where it is, when a tablet's location or a typed position says so
                        // (the Open311 feed's lat/long), and the police district or beat
                        // that covers it, as the community police officer names it.
                        coordinates("coordinates"), text("police_beat", 40)}));

  all.push_back(schema(
      "vote", "meeting",
      {ref("meeting", "meeting").required().immutable(), ref("priority", "priority").required().immutable(),
       text("voter", 100).required().immutable()}));

  all.push_back(
      schema("tally", "meeting",
             {ref("meeting", "meeting").required().immutable(),
              ref("priority", "priority").required().immutable(), integer("count", 0, 100000).required()}));

  all.push_back(schema(
      "commitment", "priority",
      {ref("priority", "priority").required().immutable(), department("department").required().immutable(),
       text("summary", 2000).required(), one_of("status", commitment_statuses()).required(),
       date("expected_date"), text("status_notes", 4000), text("responder", 200)}));

  // The residents' verdict on a resolved priority at one meeting
  // (outcomes.hpp); its id is derived from meeting + priority.
  all.push_back(schema(
      "outcome", "meeting",
      {ref("meeting", "meeting").required().immutable(), ref("priority", "priority").required().immutable(),
       one_of("verdict", outcome_verdicts()).required(), date("decided_on").required(),
       text("notes", 2000)}));

  // An action item is assigned to a person (owner, free text) and, at the
  // city-wide leaders' meeting, to a department or a neighborhood: its
  // liaisons or organizers see it and may check it off (authorization.hpp).
  all.push_back(schema("action_item", "meeting",
                       {ref("meeting", "meeting").required().immutable(), ref("priority", "priority"),
                        text("description", 2000).required(), text("owner", 200), date("due_date"),
                        boolean("done"), department("department"), ref("neighborhood", "neighborhood")}));
  return all;
}

}  // namespace

const std::vector<RecordSchema>& all_schemas() {
  static const std::vector<RecordSchema> kSchemas = build_schemas();
  return kSchemas;
}

const RecordSchema* find_schema(std::string_view type) {
  for (const auto& s : all_schemas())
    if (s.type == type) return &s;
  return nullptr;
}

}  // namespace psc
