"""Research abstracts generated here (condition, intervention, outcome) and the evidence
questions asked about them; the abstracts are also translated by the translation rows."""


# ---------------------------------------------------------------------------------------------
# Research abstracts (generated) and evidence questions.

CONDITIONS = ["type 2 diabetes", "chronic low back pain", "mild hypertension", "childhood asthma", "major depressive disorder",
              "knee osteoarthritis", "migraine", "post-operative delirium", "iron-deficiency anaemia", "atrial fibrillation",
              "chronic kidney disease", "obstructive sleep apnoea"]
INTERVENTIONS = ["a 12-week supervised exercise programme", "daily vitamin D supplementation", "a mobile phone reminder app",
                 "cognitive behavioural therapy", "early mobilisation after surgery", "a low-sodium diet",
                 "acupuncture", "a nurse-led telephone follow-up", "intermittent fasting", "a mindfulness course"]
OUTCOMES = ["HbA1c levels", "pain scores", "systolic blood pressure", "emergency visits", "depression scores",
            "length of hospital stay", "quality of life", "medication adherence", "30-day readmission rates"]


def abstract(g):
    c, i, o = g.pick(CONDITIONS), g.pick(INTERVENTIONS), g.pick(OUTCOMES)
    n = g.int(40, 900)
    p = g.pick(["0.001", "0.03", "0.21", "0.048", "0.62", "<0.001"])
    delta = g.int(3, 35)
    design = g.pick(["randomised controlled trial", "prospective cohort study", "retrospective chart review",
                     "cross-sectional survey", "pilot study", "case-control study"])
    months = g.int(3, 24)
    extra = g.pick(["Adverse events were rare.", "Dropout was higher in the intervention group.",
                    "No serious adverse events occurred.", "Adherence decreased over time.",
                    "The effect was larger in women than in men.", "Results were similar in a sensitivity analysis."])
    style = g.r.randrange(4)
    if style == 0:
        text = (f"BACKGROUND: The effect of {i} on {o} in patients with {c} remains unclear. "
                f"METHODS: We conducted a {design} including {n} adults with {c}. Participants were assigned to {i} or usual care "
                f"and followed for {months} months. The primary outcome was the change in {o}. "
                f"RESULTS: Compared with usual care, the intervention group showed a {delta}% {g.pick(['reduction', 'improvement', 'change'])} "
                f"in {o} (p = {p}). {extra}")
    elif style == 1:
        text = (f"OBJECTIVE: To assess whether {i} is associated with {o} among people with {c}. "
                f"DESIGN: {design.capitalize()}. SETTING: {g.pick(['Three university hospitals', 'Primary care practices', 'A regional health registry', 'Community clinics'])}. "
                f"PARTICIPANTS: {n} patients aged {g.int(18, 40)}-{g.int(60, 85)} years. "
                f"MAIN OUTCOME MEASURES: {o.capitalize()} at {months} months. "
                f"RESULTS: The adjusted odds ratio was {g.int(5, 25) / 10:.1f} (95% CI {g.int(3, 9) / 10:.1f}-{g.int(12, 30) / 10:.1f}). {extra}")
    elif style == 2:
        text = (f"Little is known about how {i} affects {o} in {c}. We analysed data from {n} participants in a {design}. "
                f"Over {months} months, {o} {g.pick(['improved', 'worsened', 'did not change'])} by {delta}% in the intervention arm "
                f"compared with {g.int(1, 20)}% in controls (p = {p}). {extra}")
    else:
        text = (f"PURPOSE: {c.capitalize()} is common, and {i} has been proposed as a low-cost option. "
                f"MATERIALS AND METHODS: In this {design}, {n} patients were followed for {months} months; {o} were recorded at baseline and at the end of follow-up. "
                f"RESULTS: {o.capitalize()} differed between groups by {delta}% (p = {p}). {extra}")
    return c, i, o, text


def research_question(g):
    c, i, o, text = abstract(g)
    q = g.pick([f"Does {i} improve {o} in patients with {c}?", f"Is {i} associated with better {o}?",
                f"Should clinicians recommend {i} for {c} based on this evidence?"])
    return g.pick([
        f"Question: {q}\nContext: {text}\nAnswer yes, no, or maybe, and justify your answer using the evidence.",
        f"{text}\n\nBased on the abstract above, {q[0].lower() + q[1:]} Explain whether the study design supports a causal conclusion.",
        f"Assess the strength of evidence in this abstract.\n\n{text}\n\n{q}",
        f"Read the study summary and answer the research question with yes/no/maybe.\n{text}\nResearch question: {q}",
        f"What are the main limitations of this study, and do they affect the answer to: {q}\n\n{text}",
    ])
