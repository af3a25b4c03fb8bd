//! The scenario: the CN-TH programme and the life of each GI, at home and in the
//! partner office. Each step is a use case called by the user who would take it, on a
//! legal date some days before `today`.

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::areas;
use super::data::{DemoGi, CNIPA, DIP, GIS};
use super::extras;
use super::office_lists;
use super::people::{demo_gi, people, Cast, Credential};
use super::{checked, PROGRAMME};
use crate::db::AnyConnection;
use crate::domain::earlier_rights::{EarlierRight, EarlierRightKind};
use crate::domain::excluded_names::{NameExclusion, NameRef};
use crate::domain::legal_dates::first_day_after;
use crate::domain::period::Period;
use crate::error::AppError;
use crate::registry::acting::Acting;
use crate::registry::amendments::{self, AmendmentProposal};
use crate::registry::gi_application::{self, GiApplication, NameInput, SpecificationInput};
use crate::registry::gi_lifecycle::{self, ActionRequest};
use crate::registry::oppositions::{self, OppositionDecision, OppositionFiling};
use crate::registry::programmes::{self, CreateProgramme};
use crate::registry::recognition_lifecycle::{self, RecognitionActionRequest};
use crate::registry::recognitions::{self, ListItem, ListSubmission, Submission};
use crate::store::gis;
use crate::store::recognitions as stored_recognitions;

/// Writes the whole demonstration; returns (GIs, recognitions).
pub(super) fn build(
    conn: &mut AnyConnection,
    today: NaiveDate,
    credentials: &[Credential],
) -> Result<(usize, usize), AppError> {
    let cast = people(conn, credentials)?;
    let mut scene = Scene { conn, today };
    scene.play(&cast)
}

/// The register being written, and the day the demonstration is loaded.
struct Scene<'c> {
    conn: &'c mut AnyConnection,
    today: NaiveDate,
}

/// A partner-phase step.
struct Step<'a> {
    action: &'a str,
    days_ago: u64,
    grounds: Option<&'a str>,
    limitations: Option<&'a str>,
    phase_out_until: Option<NaiveDate>,
    /// Who may go on using the name during the phase-out.
    phase_out_beneficiary: Option<&'a str>,
    /// With a refusal: the remedies, and how many days after it they stay open.
    remedies: Option<(&'a str, u64)>,
    /// With a protection: a name left out, and why.
    excluded: Option<(&'a str, &'a str)>,
}

impl<'a> Step<'a> {
    fn new(action: &'a str, days_ago: u64) -> Self {
        Self {
            action,
            days_ago,
            grounds: None,
            limitations: None,
            phase_out_until: None,
            phase_out_beneficiary: None,
            remedies: None,
            excluded: None,
        }
    }
}

/// `on`, or the day after `deadline` when a holiday moved the deadline past `on`: the
/// scene is dated relative to today, so its deadlines fall on different days each time.
fn after_deadline(on: NaiveDate, deadline: Option<NaiveDate>) -> NaiveDate {
    deadline.map_or(on, |d| on.max(first_day_after(d)))
}

impl Scene<'_> {
    /// Noon UTC of the demo's `today`: the same date at CNIPA and DIP.
    fn now(&self) -> DateTime<Utc> {
        self.today
            .and_hms_opt(12, 0, 0)
            .unwrap_or_default()
            .and_utc()
    }

    fn ago(&self, days: u64) -> NaiveDate {
        self.today
            .checked_sub_days(Days::new(days))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The association applies (a draft) and files on the legal date.
    fn apply_and_file(
        &mut self,
        cast: &Cast,
        gi: &DemoGi,
        filed_days_ago: u64,
    ) -> Result<i64, AppError> {
        let (applicant, association_id) = cast.applicant(gi.key)?;
        let spec = &gi.specification;
        let application = checked(GiApplication {
            origin_office: gi.office.into(),
            association_id: Some(*association_id),
            gi_type: gi.gi_type,
            product_type: gi.product_type,
            product_class: gi.product_class.into(),
            nice_class: None,
            names: gi
                .names
                .iter()
                .map(|(text, lang, script, kind, romanization)| NameInput {
                    text: text.to_string(),
                    lang: lang.to_string(),
                    script: Some(script.to_string()),
                    kind: *kind,
                    romanization: romanization.map(str::to_string),
                })
                .collect(),
            area_description: gi.area_description.into(),
            area_geojson: areas::area_of(gi.key),
            specification: SpecificationInput {
                product_description: spec.product_description.into(),
                raw_materials: Some(spec.raw_materials.into()),
                production_method: Some(spec.production_method.into()),
                link_with_area: Some(spec.link_with_area.into()),
                labelling: Some(spec.labelling.into()),
                control_body: Some(spec.control_body.into()),
            },
        })?;
        let view =
            gi_application::create(self.conn, applicant, application, Utc::now().naive_utc())?;
        self.gi(applicant, view.id, "file", filed_days_ago, None)?;
        Ok(view.id)
    }

    fn gi(
        &mut self,
        who: &Acting,
        id: i64,
        action: &str,
        days_ago: u64,
        grounds: Option<&str>,
    ) -> Result<(), AppError> {
        self.gi_excluding(who, id, action, days_ago, grounds, None)
    }

    /// A GI action; a registration may leave a name out, with its reason.
    fn gi_excluding(
        &mut self,
        who: &Acting,
        id: i64,
        action: &str,
        days_ago: u64,
        grounds: Option<&str>,
        excluded: Option<(&str, &str)>,
    ) -> Result<(), AppError> {
        let mut on = self.ago(days_ago);
        if action == "register" {
            let deadline = gis::by_id(self.conn, id)?.and_then(|(gi, _)| gi.opposition_deadline);
            on = after_deadline(on, deadline);
        }
        let request = checked(ActionRequest {
            action: action.into(),
            effective_on: Some(on),
            grounds: grounds.map(str::to_string),
            publication_reference: (action == "publish")
                .then(|| format!("GI announcement of {on} (demonstration gazette)")),
            remedies: None,
            remedy_deadline: None,
            excluded_names: excluded.map(|(name, reason)| {
                vec![NameExclusion {
                    name: NameRef::Text(name.into()),
                    reason: Some(reason.into()),
                }]
            }),
            acknowledge_conflicts: None,
        })?;
        gi_lifecycle::apply(self.conn, who, id, None, request, self.now())?;
        Ok(())
    }

    /// Examination, publication and registration at home by the origin examiner.
    fn examine_publish_register(
        &mut self,
        examiner: &Acting,
        id: i64,
        [examined, published, registered]: [u64; 3],
    ) -> Result<(), AppError> {
        self.gi(examiner, id, "start_examination", examined, None)?;
        self.gi(examiner, id, "publish", published, None)?;
        self.gi(examiner, id, "register", registered, None)
    }

    /// An examiner of the deciding office records an opposition on the opponent's
    /// behalf, at home or in a recognition.
    fn oppose(
        &mut self,
        examiner: &Acting,
        target: Target,
        opponent: &str,
        grounds: &str,
        days_ago: u64,
    ) -> Result<i64, AppError> {
        let filing = checked(OppositionFiling {
            opponent_name: Some(opponent.into()),
            grounds: grounds.into(),
            filed_on: Some(self.ago(days_ago)),
            earlier_rights: None,
        })?;
        let view = match target {
            Target::Gi(id) => {
                oppositions::file_against_gi(self.conn, examiner, id, filing, self.now())?
            }
            Target::Recognition(id) => {
                oppositions::file_against_recognition(self.conn, examiner, id, filing, self.now())?
            }
        };
        Ok(view.id)
    }

    fn decide_opposition(
        &mut self,
        examiner: &Acting,
        id: i64,
        action: &str,
        grounds: &str,
        days_ago: u64,
    ) -> Result<(), AppError> {
        let decision = checked(OppositionDecision {
            action: action.into(),
            grounds: Some(grounds.into()),
            effective_on: Some(self.ago(days_ago)),
            earlier_rights: None,
            coexistence_terms: None,
        })?;
        oppositions::decide(self.conn, examiner, id, decision, self.now())?;
        Ok(())
    }

    /// An opposition by a prior mark's owner settled: the mark and the GI co-exist.
    fn settle_by_coexistence(
        &mut self,
        examiner: &Acting,
        id: i64,
        days_ago: u64,
    ) -> Result<(), AppError> {
        let mark = EarlierRight {
            kind: EarlierRightKind::Trademark,
            number: Some("TH 181154321".into()),
            territory: Some("TH".into()),
            owner: Some("Chao Phraya Spirits Co., Ltd. (fictitious)".into()),
            classes: vec![33],
            description: Some("MAO TAI CHIEW, word mark (fictitious)".into()),
        };
        let decision = checked(OppositionDecision {
            action: "settle".into(),
            grounds: Some(
                "The parties agreed to co-exist; the opponent withdrew its objection.".into(),
            ),
            effective_on: Some(self.ago(days_ago)),
            earlier_rights: Some(vec![mark]),
            coexistence_terms: Some(
                "The mark is used only with its owner's name and never for sorghum baijiu.".into(),
            ),
        })?;
        oppositions::decide(self.conn, examiner, id, decision, self.now())?;
        Ok(())
    }

    /// The origin examiner puts a whole list forward at once.
    fn submit_list(
        &mut self,
        examiner: &Acting,
        label: &str,
        days_ago: u64,
        items: &[(i64, &str)],
    ) -> Result<Vec<i64>, AppError> {
        let body = checked(ListSubmission {
            programme: PROGRAMME.into(),
            list_label: label.into(),
            effective_on: Some(self.ago(days_ago)),
            items: items
                .iter()
                .map(|(gi_id, partner)| ListItem {
                    gi_id: *gi_id,
                    partner: partner.to_string(),
                })
                .collect(),
        })?;
        let views = recognitions::submit_list(self.conn, examiner, body, self.now())?;
        Ok(views.into_iter().map(|v| v.id).collect())
    }

    fn submit(
        &mut self,
        examiner: &Acting,
        gi_id: i64,
        partner: &str,
        label: &str,
        days_ago: u64,
    ) -> Result<i64, AppError> {
        let body = checked(Submission {
            programme: PROGRAMME.into(),
            gi_id,
            partner: partner.into(),
            list_label: Some(label.into()),
            effective_on: Some(self.ago(days_ago)),
        })?;
        Ok(recognitions::submit(self.conn, examiner, body, self.now())?.id)
    }

    fn recognition(&mut self, examiner: &Acting, id: i64, step: Step<'_>) -> Result<(), AppError> {
        let mut on = self.ago(step.days_ago);
        if step.action == "protect" {
            let deadline =
                stored_recognitions::by_id(self.conn, id)?.and_then(|r| r.opposition_deadline);
            on = after_deadline(on, deadline);
        }
        let request = checked(RecognitionActionRequest {
            action: step.action.into(),
            effective_on: Some(on),
            grounds: step.grounds.map(str::to_string),
            limitations: step.limitations.map(str::to_string),
            phase_out_until: step.phase_out_until,
            phase_out_beneficiaries: step
                .phase_out_beneficiary
                .map(|name| vec![name.to_string()]),
            deciding_authority: None,
            earlier_rights: None,
            remedies: step.remedies.map(|(text, _)| text.to_string()),
            remedy_deadline: step
                .remedies
                .and_then(|(_, days)| on.checked_add_days(Days::new(days))),
            publication_reference: (step.action == "publish")
                .then(|| format!("Partner office gazette of {on} (demonstration)")),
            excluded_names: step.excluded.map(|(name, reason)| {
                vec![NameExclusion {
                    name: NameRef::Text(name.into()),
                    reason: Some(reason.into()),
                }]
            }),
            acknowledge_conflicts: None,
        })?;
        recognition_lifecycle::apply(self.conn, examiner, id, None, request, self.now())?;
        Ok(())
    }

    fn play(&mut self, cast: &Cast) -> Result<(usize, usize), AppError> {
        let cnipa = cast.examiner(CNIPA)?;
        let dip = cast.examiner(DIP)?;
        let in_force = self.ago(940);
        programmes::create(
            self.conn,
            &cast.admin,
            checked(CreateProgramme {
                code: PROGRAMME.into(),
                title: "China–Thailand mutual recognition and protection of geographical indications".into(),
                parties: vec![CNIPA.into(), DIP.into()],
                signed_on: Some(self.ago(1000)),
                in_force_on: Some(in_force),
                legal_instrument: Some(
                    "Demonstration programme modelled on the CNIPA–DIP cooperation on geographical indications; its dates, opponents, trademarks and decisions are fictitious".into(),
                ),
                decision_period: Some(Period::Months(12)),
                decision_period_days: None,
                tacit_protection: false,
                requires_origin_registration: true,
                refusal_after_deadline: false,
                lisbon_style_refusals: true,
                max_phase_out: Some(Period::Months(24)),
            })?,
            self.today,
        )?;

        extras::subscribe_unreachable_partner_system(self.conn, cast, self.now().naive_utc())?;
        office_lists::load(self.conn, cast)?;

        // Home phase at CNIPA (60-day opposition period).
        let longjing = self.apply_and_file(cast, demo_gi("longjing")?, 790)?;
        self.gi(cnipa, longjing, "start_examination", 770, None)?;
        self.gi(cnipa, longjing, "publish", 720, None)?;
        let objection = self.oppose(
            cnipa,
            Target::Gi(longjing),
            "Qiantang Tea Merchants' Guild (fictitious)",
            "The Yuezhou zone should be left out of the area: its teas have long been traded under other names.",
            690,
        )?;
        self.decide_opposition(
            cnipa,
            objection,
            "reject",
            "Flat pan-fired tea has been made in the Yuezhou zone by the same method for decades; the evidence does not support excluding it.",
            670,
        )?;
        self.gi(cnipa, longjing, "register", 655, None)?;
        extras::attach_longjing_specification(self.conn, cast, longjing)?;

        let zhenjiang = self.apply_and_file(cast, demo_gi("zhenjiang")?, 760)?;
        self.examine_publish_register(cnipa, zhenjiang, [740, 700, 635])?;
        let moutai = self.apply_and_file(cast, demo_gi("moutai")?, 735)?;
        self.examine_publish_register(cnipa, moutai, [715, 680, 615])?;

        let pinggu = self.apply_and_file(cast, demo_gi("pinggu")?, 330)?;
        self.gi(cnipa, pinggu, "start_examination", 300, None)?;
        self.gi(cnipa, pinggu, "publish", 40, None)?;
        self.oppose(
            cnipa,
            Target::Gi(pinggu),
            "Miyun Orchard Cooperative (fictitious)",
            "'Da Tao' (big peach) is a common name for large peaches in northern China and should not be reserved; protection should cover the compound name only.",
            12,
        )?;

        let guanxi = self.apply_and_file(cast, demo_gi("guanxi")?, 150)?;
        self.gi(cnipa, guanxi, "start_examination", 110, None)?;

        // Home phase at DIP (90-day opposition period).
        let thungkula = self.apply_and_file(cast, demo_gi("thungkula")?, 800)?;
        self.examine_publish_register(dip, thungkula, [780, 750, 650])?;
        let doitung = self.apply_and_file(cast, demo_gi("doitung")?, 770)?;
        self.examine_publish_register(dip, doitung, [750, 720, 625])?;
        let thapthim = self.apply_and_file(cast, demo_gi("thapthim")?, 720)?;
        self.gi(dip, thapthim, "start_examination", 700, None)?;
        self.gi(dip, thapthim, "publish", 660, None)?;
        // A partial registration: the bare "Som O" is the common word for pomelo.
        self.gi_excluding(
            dip,
            thapthim,
            "register",
            560,
            None,
            Some((
                "Som O",
                "'Som O' alone is the common Thai word for pomelo and stays free for all to use",
            )),
        )?;
        self.apply_and_file(cast, demo_gi("makhamwan")?, 45)?;

        // CN → TH: DIP decides.
        let first_cn = self.submit_list(
            cnipa,
            "Annex I, batch 1",
            425,
            &[(longjing, DIP), (zhenjiang, DIP)],
        )?;
        let [longjing_th, _zhenjiang_th] = first_cn[..] else {
            return Err(AppError::internal("the first CNIPA list is not two items"));
        };
        self.recognition(dip, longjing_th, Step::new("start_examination", 400))?;
        self.recognition(dip, longjing_th, Step::new("publish", 370))?;
        let protected_from = self.ago(260);
        self.recognition(
            dip,
            longjing_th,
            Step {
                // Said in words too, for readers of the limitation (the web page).
                limitations: Some("the translation 'Dragon Well tea' is not protected"),
                excluded: Some((
                    "Dragon Well tea",
                    "an English description of a kind of green tea, used by Thai traders for teas from elsewhere",
                )),
                phase_out_until: protected_from.checked_add_months(chrono::Months::new(24)),
                phase_out_beneficiary: Some(
                    "Importers selling green tea as 'Dragon Well' in Thailand before the protection (fictitious)",
                ),
                ..Step::new("protect", 260)
            },
        )?;
        // Zhenjiang Xiang Cu: submitted 425 days ago, never decided: overdue at DIP.

        let moutai_th = self.submit(cnipa, moutai, DIP, "Annex I, batch 2", 200)?;
        self.recognition(dip, moutai_th, Step::new("start_examination", 150))?;
        self.recognition(dip, moutai_th, Step::new("publish", 75))?;
        self.oppose(
            dip,
            Target::Recognition(moutai_th),
            "Siam Baijiu Importers Co., Ltd. (fictitious)",
            "Prior Thai trademark MAOTAI for liquor in class 33 (TH 181112345, fictitious), registered in good faith; protection should co-exist with the mark.",
            30,
        )?;
        // Another prior mark's owner settled for coexistence: the proceeding goes on, and
        // the eventual protection will list the mark among its coexisting rights.
        let prior_mark = self.oppose(
            dip,
            Target::Recognition(moutai_th),
            "Chao Phraya Spirits Co., Ltd. (fictitious)",
            "Prior Thai trademark MAO TAI CHIEW for rice spirits in class 33 (TH 181154321, fictitious).",
            45,
        )?;
        self.settle_by_coexistence(dip, prior_mark, 20)?;

        // TH → CN: CNIPA decides.
        let first_th = self.submit_list(
            dip,
            "Annex II, batch 1",
            400,
            &[(thungkula, CNIPA), (doitung, CNIPA)],
        )?;
        let [thungkula_cn, doitung_cn] = first_th[..] else {
            return Err(AppError::internal("the first DIP list is not two items"));
        };
        self.recognition(cnipa, thungkula_cn, Step::new("start_examination", 380))?;
        self.recognition(cnipa, thungkula_cn, Step::new("publish", 350))?;
        self.recognition(cnipa, thungkula_cn, Step::new("protect", 280))?;
        self.recognition(cnipa, doitung_cn, Step::new("start_examination", 370))?;
        self.recognition(
            cnipa,
            doitung_cn,
            Step {
                grounds: Some(
                    "The name conflicts with an earlier trademark registered in China for coffee in class 30 (No. 12345678, fictitious) that has acquired a reputation.",
                ),
                remedies: Some((
                    "The holder may request re-examination by CNIPA, in writing with its evidence, within 180 days of this notification.",
                    180,
                )),
                ..Step::new("refuse", 160)
            },
        )?;
        // The Doi Tung growers appeal within the remedy period: under appeal at CNIPA.
        let (doitung_assoc, _) = cast.applicant("doitung")?;
        self.recognition(
            doitung_assoc,
            doitung_cn,
            Step {
                grounds: Some(
                    "The coffee mark covers a brand, not the place: consumers in China know Doi Tung as the mountain in Chiang Rai where this coffee grows.",
                ),
                ..Step::new("appeal", 20)
            },
        )?;

        let thapthim_cn = self.submit(dip, thapthim, CNIPA, "Annex II, batch 2", 130)?;
        self.recognition(cnipa, thapthim_cn, Step::new("start_examination", 100))?;

        // A pending amendment, proposed today by the rice producers.
        let (rice_assoc, _) = cast.applicant("thungkula")?;
        let rice = &demo_gi("thungkula")?.specification;
        amendments::propose(
            self.conn,
            rice_assoc,
            thungkula,
            checked(AmendmentProposal {
                specification: SpecificationInput {
                    product_description: rice.product_description.into(),
                    raw_materials: Some(rice.raw_materials.into()),
                    production_method: Some(rice.production_method.into()),
                    link_with_area: Some(rice.link_with_area.into()),
                    labelling: Some(
                        "ข้าวหอมมะลิทุ่งกุลาร้องไห้ / Khao Hom Mali Thung Kula Rong-Hai with the Thai GI logo, the lot number and the crop year on every retail pack.".into(),
                    ),
                    control_body: Some(rice.control_body.into()),
                },
                reason: Some("Print the crop year on retail packs, for traceability.".into()),
            })?,
            self.now(),
        )?;

        Ok((GIS.len(), first_cn.len() + first_th.len() + 2))
    }
}

/// The proceeding an opposition is filed in.
#[derive(Clone, Copy)]
enum Target {
    Gi(i64),
    Recognition(i64),
}
