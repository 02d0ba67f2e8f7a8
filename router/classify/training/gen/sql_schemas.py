"""Database schemas and natural-language questions about them, generated from small domain
descriptions written for this generator. A schema is rendered compactly, as people paste it:
table(col, col, ...)."""

# domain: tables as (name, [(column, kind)]) with kind in id, text, num, date, cat, fk:<table>.
DOMAINS = [
    [("bakery", [("bakery_id", "id"), ("name", "text"), ("town", "cat"), ("opened_year", "num"), ("staff_count", "num")]),
     ("pastry", [("pastry_id", "id"), ("bakery_id", "fk:bakery"), ("pastry_name", "text"), ("kind", "cat"), ("price", "num")]),
     ("daily_sales", [("pastry_id", "fk:pastry"), ("sale_day", "date"), ("units", "num")])],
    [("Hotel", [("HotelId", "id"), ("HotelName", "text"), ("Stars", "num"), ("CityName", "cat"), ("RoomTotal", "num")]),
     ("Guest", [("GuestId", "id"), ("FullName", "text"), ("HomeCountry", "cat"), ("LoyaltyTier", "cat")]),
     ("Booking", [("BookingId", "id"), ("HotelId", "fk:Hotel"), ("GuestId", "fk:Guest"), ("CheckIn", "date"), ("Nights", "num"), ("AmountPaid", "num")])],
    [("gym_member", [("member_id", "id"), ("member_name", "text"), ("join_date", "date"), ("plan", "cat"), ("age", "num")]),
     ("trainer", [("trainer_id", "id"), ("trainer_name", "text"), ("speciality", "cat"), ("years_experience", "num")]),
     ("session", [("session_id", "id"), ("member_id", "fk:gym_member"), ("trainer_id", "fk:trainer"), ("session_date", "date"), ("minutes", "num")])],
    [("Volcano", [("Volcano_ID", "id"), ("Volcano_Name", "text"), ("Nation", "cat"), ("Elevation_m", "num"), ("Last_Eruption", "num")]),
     ("Observatory", [("Obs_ID", "id"), ("Obs_Name", "text"), ("Volcano_ID", "fk:Volcano"), ("Founded", "num")]),
     ("Reading", [("Reading_ID", "id"), ("Obs_ID", "fk:Observatory"), ("Taken_On", "date"), ("Tremor_Level", "num")])],
    [("library_branch", [("branch_id", "id"), ("branch_name", "text"), ("district", "cat"), ("opening_hours", "num")]),
     ("item", [("item_id", "id"), ("title", "text"), ("media_type", "cat"), ("publish_year", "num"), ("branch_id", "fk:library_branch")]),
     ("loan", [("loan_id", "id"), ("item_id", "fk:item"), ("patron_name", "text"), ("loan_date", "date"), ("days_late", "num")])],
    [("team", [("team_id", "id"), ("team_name", "text"), ("home_city", "cat"), ("founded", "num"), ("budget_musd", "num")]),
     ("athlete", [("athlete_id", "id"), ("athlete_name", "text"), ("team_id", "fk:team"), ("position", "cat"), ("goals", "num"), ("salary", "num")]),
     ("fixture", [("fixture_id", "id"), ("home_team", "fk:team"), ("away_team", "fk:team"), ("played_on", "date"), ("attendance", "num")])],
    [("Vineyard", [("VineyardID", "id"), ("VineyardName", "text"), ("Appellation", "cat"), ("Hectares", "num")]),
     ("Wine", [("WineID", "id"), ("VineyardID", "fk:Vineyard"), ("Grape", "cat"), ("Vintage", "num"), ("Score", "num"), ("BottlePrice", "num")])],
    [("ferry_route", [("route_id", "id"), ("route_name", "text"), ("departure_port", "cat"), ("arrival_port", "cat"), ("distance_km", "num")]),
     ("vessel", [("vessel_id", "id"), ("vessel_name", "text"), ("capacity", "num"), ("built_year", "num")]),
     ("crossing", [("crossing_id", "id"), ("route_id", "fk:ferry_route"), ("vessel_id", "fk:vessel"), ("sail_date", "date"), ("passengers", "num")])],
    [("Researcher", [("ResearcherID", "id"), ("Surname", "text"), ("Institute", "cat"), ("HIndex", "num")]),
     ("Paper", [("PaperID", "id"), ("Title", "text"), ("Venue", "cat"), ("PubYear", "num"), ("Citations", "num")]),
     ("Authorship", [("ResearcherID", "fk:Researcher"), ("PaperID", "fk:Paper"), ("AuthorOrder", "num")])],
    [("farm", [("farm_id", "id"), ("owner_name", "text"), ("region", "cat"), ("area_ha", "num")]),
     ("crop", [("crop_id", "id"), ("crop_name", "text"), ("season", "cat")]),
     ("harvest", [("farm_id", "fk:farm"), ("crop_id", "fk:crop"), ("harvest_year", "num"), ("tonnes", "num")])],
    [("Clinic", [("ClinicId", "id"), ("ClinicName", "text"), ("Borough", "cat"), ("Beds", "num")]),
     ("Vet", [("VetId", "id"), ("VetName", "text"), ("ClinicId", "fk:Clinic"), ("Qualified", "num")]),
     ("Animal", [("AnimalId", "id"), ("Species", "cat"), ("AnimalName", "text"), ("WeightKg", "num"), ("VetId", "fk:Vet")])],
    [("festival", [("festival_id", "id"), ("festival_name", "text"), ("host_city", "cat"), ("edition_year", "num"), ("tickets_sold", "num")]),
     ("band", [("band_id", "id"), ("band_name", "text"), ("genre", "cat"), ("members", "num")]),
     ("lineup", [("festival_id", "fk:festival"), ("band_id", "fk:band"), ("stage", "cat"), ("slot_minutes", "num")])],
    [("warehouse", [("warehouse_code", "id"), ("location", "cat"), ("capacity", "num")]),
     ("box", [("box_code", "id"), ("contents", "cat"), ("value", "num"), ("warehouse_code", "fk:warehouse")])],
    [("Startup", [("StartupId", "id"), ("StartupName", "text"), ("Sector", "cat"), ("FoundedYear", "num"), ("Employees", "num")]),
     ("Investor", [("InvestorId", "id"), ("InvestorName", "text"), ("Country", "cat")]),
     ("Round", [("RoundId", "id"), ("StartupId", "fk:Startup"), ("InvestorId", "fk:Investor"), ("RoundDate", "date"), ("AmountUsd", "num")])],
    [("course_offering", [("offering_id", "id"), ("course_title", "text"), ("department", "cat"), ("credits", "num")]),
     ("lecturer", [("lecturer_id", "id"), ("lecturer_name", "text"), ("rank", "cat"), ("hired_year", "num")]),
     ("teaches", [("offering_id", "fk:course_offering"), ("lecturer_id", "fk:lecturer"), ("semester", "cat"), ("enrolled", "num")])],
    [("mountain", [("mountain_id", "id"), ("mountain_name", "text"), ("height_m", "num"), ("range_name", "cat"), ("country", "cat")]),
     ("climber", [("climber_id", "id"), ("climber_name", "text"), ("nationality", "cat"), ("points", "num"), ("mountain_id", "fk:mountain")])],
    [("Podcast", [("PodcastId", "id"), ("PodcastTitle", "text"), ("Category", "cat"), ("Language", "cat"), ("Subscribers", "num")]),
     ("Episode", [("EpisodeId", "id"), ("PodcastId", "fk:Podcast"), ("EpisodeTitle", "text"), ("Released", "date"), ("LengthMin", "num")])],
    [("translator", [("translator_id", "id"), ("name", "text"), ("native_language", "cat"), ("rate_per_word", "num")]),
     ("translation_job", [("job_id", "id"), ("translator_id", "fk:translator"), ("source_language", "cat"), ("target_language", "cat"), ("word_count", "num"), ("due_date", "date")])],
    [("products", [("product_id", "id"), ("product_name", "text"), ("category", "cat"), ("price", "num"), ("stock", "num")]),
     ("orders", [("order_id", "id"), ("customer_name", "text"), ("order_date", "date"), ("status", "cat")]),
     ("order_items", [("order_id", "fk:orders"), ("product_id", "fk:products"), ("quantity", "num")])],
    [("patients", [("patient_id", "id"), ("name", "text"), ("birth_year", "num"), ("city", "cat")]),
     ("doctors", [("doctor_id", "id"), ("name", "text"), ("specialty", "cat")]),
     ("appointments", [("appointment_id", "id"), ("patient_id", "fk:patients"), ("doctor_id", "fk:doctors"), ("start_time", "date"), ("fee", "num")])],
    [("region", [("region_code", "id"), ("region_name", "text"), ("official_language", "cat"), ("population", "num"), ("area_km2", "num")]),
     ("town", [("town_id", "id"), ("town_name", "text"), ("region_code", "fk:region"), ("inhabitants", "num"), ("mayor", "text")])],
]


def render(domain):
    return "\n".join("%s(%s)" % (t, ", ".join(c for c, _ in cols)) for t, cols in domain)


def _cols(table, kind):
    return [c for c, k in table[1] if k == kind]


def question(g, domain):
    """A natural-language question answerable with SQL over `domain`."""
    t = g.pick(domain)
    tname = t[0].replace("_", " ").lower()
    text = _cols(t, "text") or [t[1][0][0]]
    num = _cols(t, "num")
    cat = _cols(t, "cat")
    date = _cols(t, "date")
    n = g.int(2, 60) * (10 if g.chance(0.3) else 1)
    forms = [f"How many {tname} records are there?", f"Count the number of {tname} entries."]
    tc = g.pick(text).replace("_", " ").lower()
    forms += [f"List the {tc} of every {tname}.", f"Show all distinct {tc} values in the {tname} table."]
    if num:
        nc = g.pick(num).replace("_", " ").lower()
        forms += [f"What is the average {nc} of all {tname} records?", f"What are the maximum and minimum {nc}?",
                  f"List the {tc} of each {tname} whose {nc} is greater than {n}.",
                  f"Which {tname} has the highest {nc}? Give its {tc}.",
                  f"Show the {tc} sorted by {nc} in descending order.", f"What is the total {nc} of the {tname} table?",
                  f"Return the {tc} of the three {tname} entries with the lowest {nc}."]
    if cat:
        cc = g.pick(cat).replace("_", " ").lower()
        forms += [f"Find the number of {tname} records for each {cc}.", f"Which {cc} is the most common?",
                  f"List the different {cc} values and how many {tname} entries each has.",
                  f"Show the {tc} of the {tname} entries whose {cc} is not the most frequent one."]
        if num:
            forms += [f"What is the average {g.pick(num).replace('_', ' ').lower()} for each {cc}?"]
    if date:
        dc = g.pick(date).replace("_", " ").lower()
        forms += [f"List the {tc} ordered by {dc}.", f"Which {tname} has the most recent {dc}?"]
    fks = [(c, k[3:]) for c, k in t[1] if k.startswith("fk:")]
    if fks:
        c, other = g.pick(fks)
        forms += [f"For each {other.replace('_', ' ').lower()}, how many {tname} records refer to it?",
                  f"List the {tc} of {tname} entries together with the name of their {other.replace('_', ' ').lower()}.",
                  f"Which {other.replace('_', ' ').lower()} has no {tname} records?"]
    return g.pick(forms)
