//! What the demonstration is made of: the nine real GIs of DESIGN §7, their producers'
//! associations, names, areas and short specifications. The GIs, names, areas and
//! methods are real; the opponents, trademarks and decisions of the scenario are not.

use crate::domain::gi::{GiType, NameKind, ProductType};

/// A producers' association and the account that acts for it.
pub struct DemoAssociation {
    pub name: &'static str,
    pub username: &'static str,
    pub display_name: &'static str,
    pub contact_email: &'static str,
    pub address: &'static str,
}

/// One name: text, BCP-47 language, ISO 15924 script, kind, romanisation.
pub type DemoName = (
    &'static str,
    &'static str,
    &'static str,
    NameKind,
    Option<&'static str>,
);

pub struct DemoSpecification {
    pub product_description: &'static str,
    pub raw_materials: &'static str,
    pub production_method: &'static str,
    pub link_with_area: &'static str,
    pub labelling: &'static str,
    pub control_body: &'static str,
}

pub struct DemoGi {
    /// How the scenario refers to the GI.
    pub key: &'static str,
    /// The origin office's code.
    pub office: &'static str,
    pub association: DemoAssociation,
    pub gi_type: GiType,
    pub product_type: ProductType,
    pub product_class: &'static str,
    pub names: &'static [DemoName],
    pub area_description: &'static str,
    pub specification: DemoSpecification,
}

pub const CNIPA: &str = "CNIPA";
pub const DIP: &str = "DIP";

/// Internal and external control under the Thai GI Act.
const TH_CONTROL: &str = "Internal control by the producers' association; external control by a certification body accredited for the GI";

pub const GIS: [DemoGi; 9] = [
    DemoGi {
        key: "longjing",
        office: CNIPA,
        association: DemoAssociation {
            name: "Hangzhou West Lake Longjing Tea Association",
            username: "longjing-assoc",
            display_name: "Longjing tea association",
            contact_email: "longjing-tea@example.org",
            address: "Longjing Road, Xihu District, Hangzhou, Zhejiang, China",
        },
        gi_type: GiType::Pdo,
        product_type: ProductType::Food,
        product_class: "1.8",
        names: &[
            ("龙井茶", "zh", "Hans", NameKind::Original, None),
            (
                "Longjing cha",
                "zh-Latn",
                "Latn",
                NameKind::Transliteration,
                Some("pinyin"),
            ),
            ("Dragon Well tea", "en", "Latn", NameKind::Translation, None),
        ],
        area_description: "Zhejiang province, in three zones: West Lake (the tea hills of Xihu district, Hangzhou), Qiantang (the tea-growing districts and counties of Hangzhou outside West Lake) and Yuezhou (Shaoxing and the neighbouring counties).",
        specification: DemoSpecification {
            product_description: "Flat, straight and smooth pan-fired green tea with yellowish-green leaves; a clear, bright liquor with a chestnut-like fragrance and a fresh, mellow taste.",
            raw_materials: "Fresh buds, or one bud with one or two leaves, of the local Longjing group tea plants and of the cultivars Longjing 43 and Longjing Changye, picked from early spring.",
            production_method: "Spreading of the fresh leaf, pan-firing and shaping in a hot wok by hand or machine, cooling, then a second pan-firing that presses the leaves flat; sifting and grading.",
            link_with_area: "A mild, humid monsoon climate with frequent mist, hillside gardens on acid soils and the pan-firing craft handed down in Hangzhou for centuries give the tea its flat shape and chestnut aroma.",
            labelling: "The name 龙井茶 with the GI product mark and the zone of production.",
            control_body: "Hangzhou Municipal Administration for Market Regulation",
        },
    },
    DemoGi {
        key: "pinggu",
        office: CNIPA,
        association: DemoAssociation {
            name: "Pinggu Peach Growers' Association",
            username: "pinggu-assoc",
            display_name: "Pinggu peach growers",
            contact_email: "pinggu-peach@example.org",
            address: "Pinggu District, Beijing, China",
        },
        gi_type: GiType::Pdo,
        product_type: ProductType::Food,
        product_class: "1.6",
        names: &[
            ("平谷大桃", "zh", "Hans", NameKind::Original, None),
            (
                "Pinggu Da Tao",
                "zh-Latn",
                "Latn",
                NameKind::Transliteration,
                Some("pinyin"),
            ),
        ],
        area_description: "Pinggu district, Beijing municipality: the orchards of its towns and townships in the valleys of the Ju and Cuo rivers, at the foot of the Yanshan mountains.",
        specification: DemoSpecification {
            product_description: "Fresh peaches, large, regular in shape and brightly coloured: white- and yellow-fleshed peaches, flat peaches and nectarines, juicy and sweet.",
            raw_materials: "Peaches (Prunus persica) of the white-fleshed, yellow-fleshed, flat and nectarine varieties grown in the delimited area.",
            production_method: "Open-centre pruning, fruit thinning and bagging, organic manuring; hand harvest at commercial ripeness from June to October.",
            link_with_area: "A warm-temperate continental climate with long sunshine and a wide difference between day and night temperatures in summer, and well-drained sandy loams, give the fruit its size and sugar.",
            labelling: "平谷大桃 / Pinggu Da Tao with the GI product mark on every pack.",
            control_body: "Beijing Pinggu District Administration for Market Regulation",
        },
    },
    DemoGi {
        key: "zhenjiang",
        office: CNIPA,
        association: DemoAssociation {
            name: "Zhenjiang Aromatic Vinegar Producers' Association",
            username: "zhenjiang-assoc",
            display_name: "Zhenjiang vinegar producers",
            contact_email: "zhenjiang-vinegar@example.org",
            address: "Zhenjiang, Jiangsu, China",
        },
        gi_type: GiType::Pgi,
        product_type: ProductType::Food,
        product_class: "1.8",
        names: &[
            ("镇江香醋", "zh", "Hans", NameKind::Original, None),
            (
                "Zhenjiang Xiang Cu",
                "zh-Latn",
                "Latn",
                NameKind::Transliteration,
                Some("pinyin"),
            ),
        ],
        area_description: "Zhenjiang city, Jiangsu province: the Jingkou, Runzhou and Dantu districts and the cities of Danyang, Yangzhong and Jurong.",
        specification: DemoSpecification {
            product_description: "Dark brown, clear aromatic vinegar with a rich and lasting fragrance, sour but mellow and slightly sweet.",
            raw_materials: "Glutinous rice, wheat bran, rice hulls, wheat qu and a vinegar starter carried over from earlier batches; no acetic acid is added.",
            production_method: "Saccharification and alcoholic fermentation of the glutinous rice; solid-state acetic fermentation in layers turned every day; leaching, boiling and ageing for at least six months.",
            link_with_area: "The humid climate of the lower Yangtze, local glutinous rice and the layered solid-state fermentation practised in Zhenjiang since the Qing dynasty give the vinegar its aroma.",
            labelling: "镇江香醋 / Zhenjiang Xiang Cu with the GI product mark and the ageing period.",
            control_body: "Zhenjiang Municipal Administration for Market Regulation",
        },
    },
    DemoGi {
        key: "guanxi",
        office: CNIPA,
        association: DemoAssociation {
            name: "Pinghe Guanxi Honey Pomelo Association",
            username: "guanxi-assoc",
            display_name: "Guanxi pomelo growers",
            contact_email: "guanxi-pomelo@example.org",
            address: "Pinghe County, Zhangzhou, Fujian, China",
        },
        gi_type: GiType::Pdo,
        product_type: ProductType::Food,
        product_class: "1.6",
        names: &[
            ("琯溪蜜柚", "zh", "Hans", NameKind::Original, None),
            (
                "Guanxi Mi You",
                "zh-Latn",
                "Latn",
                NameKind::Transliteration,
                Some("pinyin"),
            ),
        ],
        area_description: "Pinghe county, Zhangzhou city, Fujian province: the hillside and valley orchards of the county's towns and townships.",
        specification: DemoSpecification {
            product_description: "Fresh pomelo, large and pear-shaped, with a thin, smooth yellow-green rind and tender, very juicy flesh, sweet with a slight acidity and usually seedless.",
            raw_materials: "Fruit of the Guanxi honey pomelo (Citrus maxima 'Guanxi Miyou') and of its red- and yellow-fleshed sports grown in the delimited area.",
            production_method: "Pruning, fruit thinning and bagging; harvest by hand from late August to October; sorting by size.",
            link_with_area: "A southern subtropical monsoon climate, acid red soils and the selection of the cultivar in Pinghe over some five centuries.",
            labelling: "琯溪蜜柚 / Guanxi Mi You with the GI product mark.",
            control_body: "Pinghe County Administration for Market Regulation",
        },
    },
    DemoGi {
        key: "moutai",
        office: CNIPA,
        association: DemoAssociation {
            name: "Renhuai Maotai Liquor Producers' Association",
            username: "moutai-assoc",
            display_name: "Maotai liquor producers",
            contact_email: "maotai-liquor@example.org",
            address: "Maotai Town, Renhuai, Guizhou, China",
        },
        gi_type: GiType::Gi,
        product_type: ProductType::Spirit,
        product_class: "spirit.47",
        names: &[
            ("茅台酒", "zh", "Hans", NameKind::Original, None),
            (
                "Moutai Jiu",
                "zh-Latn",
                "Latn",
                NameKind::Transliteration,
                None,
            ),
            (
                "Maotai Jiu",
                "zh-Latn",
                "Latn",
                NameKind::Transliteration,
                Some("pinyin"),
            ),
        ],
        area_description: "Maotai town, Renhuai city, Guizhou province: the protected production zone in the valley of the Chishui river.",
        specification: DemoSpecification {
            product_description: "Sauce-aroma (jiangxiang) baijiu, clear to slightly yellowish, with an elegant, complex and long-lasting aroma that lingers in the empty cup.",
            raw_materials: "Local red glutinous sorghum, wheat for the high-temperature qu, and water of the Chishui river basin.",
            production_method: "One production cycle a year: the sorghum is fed twice, steamed nine times, fermented eight times and distilled seven times; the spirits age in earthenware jars for years and are blended.",
            link_with_area: "The enclosed, hot and humid Chishui valley, its purple sandy soils and the micro-organisms of the local environment shape the fermentation; baijiu has been distilled at Maotai for centuries.",
            labelling: "茅台酒 with the GI product mark; the alcoholic strength by volume.",
            control_body: "Zunyi Municipal Administration for Market Regulation",
        },
    },
    DemoGi {
        key: "thungkula",
        office: DIP,
        association: DemoAssociation {
            name: "Thung Kula Rong-Hai Hom Mali Rice Producers' Association",
            username: "thungkula-assoc",
            display_name: "Thung Kula Rong-Hai rice producers",
            contact_email: "thungkula-rice@example.org",
            address: "Roi Et, Thailand",
        },
        gi_type: GiType::Pgi,
        product_type: ProductType::Food,
        product_class: "1.6",
        names: &[
            (
                "ข้าวหอมมะลิทุ่งกุลาร้องไห้",
                "th",
                "Thai",
                NameKind::Original,
                None,
            ),
            (
                "Khao Hom Mali Thung Kula Rong-Hai",
                "th-Latn",
                "Latn",
                NameKind::Transliteration,
                Some("rtgs"),
            ),
        ],
        area_description: "The Thung Kula Rong-Hai plain in north-eastern Thailand, in the provinces of Roi Et, Surin, Si Sa Ket, Maha Sarakham and Yasothon.",
        specification: DemoSpecification {
            product_description: "Long-grain Hom Mali (jasmine) rice as paddy, brown and white rice: slender, translucent grains, soft and fragrant when cooked.",
            raw_materials: "Rice of the varieties Khao Dawk Mali 105 and RD15, grown once a year, rain-fed, in the wet season in the delimited area.",
            production_method: "Rain-fed planting in the rainy season, harvest in the cool dry season from November, drying of the paddy, milling and packing under traceability.",
            link_with_area: "Sandy, slightly saline soils and dry, cool weather at ripening after the rains concentrate the grain's natural aroma (2-acetyl-1-pyrroline).",
            labelling: "ข้าวหอมมะลิทุ่งกุลาร้องไห้ / Khao Hom Mali Thung Kula Rong-Hai with the Thai GI logo and the lot number.",
            control_body: TH_CONTROL,
        },
    },
    DemoGi {
        key: "doitung",
        office: DIP,
        association: DemoAssociation {
            name: "Doi Tung Coffee Producers' Association",
            username: "doitung-assoc",
            display_name: "Doi Tung coffee producers",
            contact_email: "doitung-coffee@example.org",
            address: "Mae Fa Luang District, Chiang Rai, Thailand",
        },
        gi_type: GiType::Pgi,
        product_type: ProductType::Food,
        product_class: "1.8",
        names: &[
            ("กาแฟดอยตุง", "th", "Thai", NameKind::Original, None),
            (
                "Kafae Doi Tung",
                "th-Latn",
                "Latn",
                NameKind::Transliteration,
                Some("rtgs"),
            ),
        ],
        area_description: "The slopes of Doi Tung in Mae Fa Luang and Mae Sai districts, Chiang Rai province, above 800 metres.",
        specification: DemoSpecification {
            product_description: "Arabica coffee, green and roasted: medium body, bright acidity and a clean finish with nutty and chocolate notes.",
            raw_materials: "Ripe cherries of Coffea arabica grown under the shade of forest trees in the delimited area.",
            production_method: "Selective hand picking of ripe cherries; wet processing (pulping, fermentation, washing); sun drying, hulling and sorting; roasting under traceability.",
            link_with_area: "Altitude, cool nights, well-drained soils on steep slopes and the shade of the hills reforested by the Doi Tung Development Project.",
            labelling: "กาแฟดอยตุง / Kafae Doi Tung with the Thai GI logo.",
            control_body: TH_CONTROL,
        },
    },
    DemoGi {
        key: "thapthim",
        office: DIP,
        association: DemoAssociation {
            name: "Pak Phanang Thapthim Siam Pomelo Growers' Association",
            username: "thapthim-assoc",
            display_name: "Thapthim Siam pomelo growers",
            contact_email: "thapthim-pomelo@example.org",
            address: "Pak Phanang District, Nakhon Si Thammarat, Thailand",
        },
        gi_type: GiType::Gi,
        product_type: ProductType::Food,
        product_class: "1.6",
        names: &[
            (
                "ส้มโอทับทิมสยามปากพนัง",
                "th",
                "Thai",
                NameKind::Original,
                None,
            ),
            (
                "Som O Thapthim Siam Pak Phanang",
                "th-Latn",
                "Latn",
                NameKind::Transliteration,
                Some("rtgs"),
            ),
            // Applied for, and left out of the registration: "som o" is Thai for pomelo.
            ("Som O", "th-Latn", "Latn", NameKind::Synonym, Some("rtgs")),
        ],
        area_description: "The Pak Phanang river basin in Nakhon Si Thammarat province: Pak Phanang district and the neighbouring districts of the basin.",
        specification: DemoSpecification {
            product_description: "Fresh pomelo with a thin, dark green rind and deep ruby-red flesh ('thapthim': ruby), sweet, juicy and without bitterness.",
            raw_materials: "Pomelo (Citrus maxima) of the Thapthim Siam variety grown in the delimited area.",
            production_method: "Trees on raised beds between irrigation ditches; harvest by hand at full maturity; sorting by weight.",
            link_with_area: "Alluvial soils of the Pak Phanang basin, where fresh and brackish water meet, and a warm, humid climate give the flesh its colour and sweetness.",
            labelling: "ส้มโอทับทิมสยามปากพนัง / Som O Thapthim Siam Pak Phanang with the Thai GI logo.",
            control_body: TH_CONTROL,
        },
    },
    DemoGi {
        key: "makhamwan",
        office: DIP,
        association: DemoAssociation {
            name: "Phetchabun Sweet Tamarind Growers' Association",
            username: "makhamwan-assoc",
            display_name: "Phetchabun sweet tamarind growers",
            contact_email: "sweet-tamarind@example.org",
            address: "Phetchabun, Thailand",
        },
        gi_type: GiType::Gi,
        product_type: ProductType::Food,
        product_class: "1.6",
        names: &[
            ("มะขามหวานเพชรบูรณ์", "th", "Thai", NameKind::Original, None),
            (
                "Makham Wan Phetchabun",
                "th-Latn",
                "Latn",
                NameKind::Transliteration,
                Some("rtgs"),
            ),
        ],
        area_description: "Phetchabun province: the valley of the Pa Sak river and the surrounding hills.",
        specification: DemoSpecification {
            product_description: "Sweet tamarind pods, fresh or dried: long, slightly curved pods with a thin, easily peeled shell and thick, sweet brown flesh.",
            raw_materials: "Sweet tamarind (Tamarindus indica) of local varieties such as Si Thong and Prakai Thong grown in the delimited area.",
            production_method: "Hand harvest of ripe pods in the dry season, sorting, and sun drying or packing fresh.",
            link_with_area: "A hot dry season after the rains in the sheltered Pa Sak valley and well-drained soils make the pods sweet; Phetchabun celebrates the crop with a yearly sweet tamarind fair.",
            labelling: "มะขามหวานเพชรบูรณ์ / Makham Wan Phetchabun with the Thai GI logo.",
            control_body: TH_CONTROL,
        },
    },
];
