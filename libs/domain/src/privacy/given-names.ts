/**
 * French given names, as a string split once at load so the lexicon costs little in the web
 * bundle. Written for this detector from the given names common in France: those of the people
 * interns meet (born from the 1920s on, so Lucienne, Gérard and Josiane beside Lucas, Léa, Inès,
 * Mohamed and Yanis), with compound names listed when frequent; any other compound of listed
 * names (Marie-Solène) is recognised part by part. Accents are kept for reading; the lookup
 * ignores them and the case.
 */
export const FEMALE_GIVEN_NAMES = `
Abigaëlle Abla Ada Adélaïde Adèle Adélie Adelina Adeline Adelphine Adila Adja Adriana Adrienne Afaf
Agathe Aglaé Agnès Aïcha Aida Aïda Aimée Aïna Aïssa Aïssata Aïssatou Alaïa Alba Albane Alberte
Albertine Albina Alexa Alexandra Alexandrine Alexia Alexine Aleyna Alia Alice Alicia Alicja Alida
Alina Aline Alisha Alissa Alix Aliya Alizé Alizéa Alizée Allegra Allison Alma Alphonsine Alya Alyah
Alycia Alyssa Amalia Amalya Amanda Amandina Amandine Amara Amaya Amayas Ambra Ambre Ambrine Amel
Amelia Amélia Amélie Amely Amina Aminata Amira Amna Amparo Ana Anabel Anaé Anaëlle Anaïa Anaïs
Anaïse Anastasia Anastasie Anaya Andréa Andrée Andreea Anela Ange Angéla Angèle Angelina Angélina
Angélique Angie Anissa Anita Anja Anna Annabel Annabella Annabelle Annaëlle Annah Annaïg Anne Anne-
Cécile Anne-Charlotte Anne-Claire Anne-Françoise Anne-Gaëlle Anne-Laure Anne-Lise Anne-Marie Anne-
Sophie Annelise Annette Annick Annie Annie-Claude Anouchka Anouck Anouk Anthea Anthéa Antoinette
Antonella Antonia Antonine Apolline Ariane Arielle Arlène Arlette Armance Armande Armelle Arwen Asma
Asmaa Assa Assia Astou Astrid Athéna Athénaïs Aubane Aude Audrey Audrey-Anne Augusta Augustine
Aurélia Aurélie Aurore Ava Awa Axelle Aya Ayah Ayana Aylin Ayline Azilis Babette Bahia Barbara Baya
Béatrice Bélinda Bella Bénédicte Benoîte Bérangère Bérénice Bernadette Berthe Berthille Bertille
Bessie Bettina Betty Bianca Billie Blanche Blandine Brigitte Brunehilde Calie Calista Callie Camélia
Candice Candy Capucine Carine Carla Carmela Carmélie Carmen Carole Carole-Anne Caroline Cassandra
Cassandre Cassie Cassiopée Castille Catalina Catherine Cathie Cathy Cécile Cécilia Céciliane Célénie
Céleste Celestine Célestine Celia Célia Célina Céline Célya Chahinez Chaïma Chana Chanel Chantal
Chantale Charlène Charlie Charline Charlize Charlotte Chayma Cheyenne Chiara Chloé Christa Christel
Christèle Christelle Christiane Christianne Christine Chrystelle Cindy Cinthia Claire Clara Clarisse
Claude Claudette Claudia Claudie Claudine Clélia Clélie Clémence Clémentine Cléo Cloé Clothilde
Clotilde Colette Coline Concetta Conchita Constance Cora Coralie Corentine Corinne Cosette Cristina
Cynthia Cyrielle Cyrine Daisy Dalia Dalila Danaé Daniela Danièle Daniella Danielle Dany Daphné
Darina Déborah Delia Delphina Delphine Denise Désirée Diana Diane Diane-Sophie Dilara Dina Djamila
Djeneba Doha Dolores Dominique Domitille Donatienne Donia Dora Doriane Dorine Dorothée Dounia Eden
Edith Édith Edmée Edwige Églantine Eléa Éléa Eléanor Elena Eléna Eléonore Éléonore Elfie Elia Élia
Éliana Eliane Éliane Éliette Elina Élina Éline Elisa Élisa Elisabeta Elisabeth Élisabeth Elise Élise
Ella Ellia Ellie Elly Elma Éloane Elodie Élodie Eloïse Éloïse Elona Elsa Elsie Elvina Elvira Elvire
Elya Elyne Emeline Émeline Émeraude Émilia Emilie Émilie Emilienne Émilienne Emma Emmanuelle
Emmeline Emna Emy Enola Enora Erika Erin Erine Ernestine Esma Esmée Esméralda Estée Estela Estelle
Esther Ethel Eugenia Eugénia Eugénie Eulalie Eunice Eva Eva-Maria Ève Evelyne Évelyne Evy Fabienne
Fabiola Fadila Fadwa Fanny Fanta Fantine Farah Fatiha Fatim Fatima Fatma Fatou Fatoumata Faustine
Fayza Félicia Félicie Félicité Férielle Fernanda Fernande Fiona Flavia Flavie Fleur Fleurine Flora
Florence Florentine Floriane Florie Florine Francesca Francine Françoise Frédérique Gabie Gabriela
Gabrielle Gaby Gaëlle Gaétane Gaïa Gaïané Garance Gemma Geneviève Georgette Georgia Georgina
Germaine Ghislaine Gilberte Gilda Ginette Giovanna Gisèle Giselle Giulia Gladys Gloria Graziella
Guenièvre Gwenaëlle Gwendoline Gwendolyne Gwenn Gwenola Gwladys Hafsa Hajar Halia Halima Hana Hanae
Hanna Hannah Hasna Hawa Hayat Hélèna Héléna Hélène Héloïse Henriette Hermance Hermine Hiba Hilda
Hind Honorine Hortense Hortensia Houda Huguette Ibtissam Ida Ikram Ilana Iléana Ilhem Ilona Ilyana
Imane Imène Inaya Ines Inès Inessa Ingrid Irène Irina Iris Irma Isabeau Isabella Isabelle Isadora
Isaline Isaure Isia Isild Isis Isra Iya Jacinthe Jacqueline Jade Jana Janelle Janine Jasmine Jeanine
Jeanne Jeanne-Marie Jeannette Jeannine Jehanne Jennifer Jenny Jessica Jessie Jessy Jihane Joanna
Joanne Jocelyne Joëlle Johanna Jordane Josée Josépha Josèphe Joséphine Josette Josiane Josie Joy
Judith Julia Juliana Julianne Julie Julienne Juliet Juliette Justina Justine Kadiatou Kahina Kaina
Kaïna Kalia Kamila Kara Karen Karima Karine Karla Kassandra Katarina Katell Katia Kayla Keira Kelly
Kelya Kenza Kessy Khadidja Khadija Kiara Kimberley Kimberly Klara Laetitia Lalie Laly Lamia Lamya
Lana Lara Latifa Laura Laure Laureen Laurence Lauriane Laurie Laurine Layana Layla Léa Leana Léana
Léandra Léane Leelou Lehna Leïa Leila Leïla Leïna Léna Lénaïg Léone Léonie Léonore Léontine
Léopoldine Leslie Lia Liah Liana Lila Lilas Lili Lili-Rose Lilia Liliane Lilianne Lilou Lily Lilya
Lina Lina-Rose Linda Lindsay Line Linoa Lisa Lisandra Lisandre Lise Lison Lital Liv Livia Loane
Loïse Lola Lola-Rose Lorelei Loren Lorena Lorène Lorette Lorraine Lou Lou-Ann Lou-Anne Louane
Louanne Louisa Louise Louise-Marie Louisette Louison Loumia Louna Lætitia Luce Lucette Lucia Lucie
Lucienne Lucile Lucille Lucinda Ludivine Ludmila Luisa Luna Lya Lyana Lydia Lydie Lylou Lyna Lysa
Lysiane Maddalena Maddie Maddy Madeleine Madina Madison Maëla Maelia Maëlia Maeline Maëline Maëlle
Maëlyne Maëlys Maëva Magali Magalie Mahault Mahaut Mahé Maïa Maïlie Maïlys Maïna Maïssa Maissane
Maïwen Maïwenn Malak Malia Malika Malvina Malya Manel Manelle Manon Manuela Manuella Marceline
Marcelle Marcelline Margaret Margaux Margo Margot Marguerite Maria Maria-José Mariam Mariama Mariane
Marianna Marianne Marie Marie-Agnès Marie-Alice Marie-Alix Marie-Amélie Marie-Ange Marie-Anne Marie-
Astrid Marie-Aude Marie-Bénédicte Marie-Catherine Marie-Cécile Marie-Chantal Marie-Christine Marie-
Claude Marie-Dominique Marie-Élise Marie-Émilie Marie-Eve Marie-Ève Marie-France Marie-Françoise
Marie-Hélène Marie-Jeanne Marie-José Marie-Josée Marie-Joseph Marie-Laure Marie-Line Marie-Lou
Marie-Louise Marie-Madeleine Marie-Noëlle Marie-Odile Marie-Paule Marie-Pierre Marie-Rose Marie-
Sophie Marie-Thérèse Marielle Marilou Marilyne Marina Marine Marinette Marion Marisa Marjolaine
Marjorie Marla Marlène Marthe Martine Marwa Maryam Marylène Maryline Maryse Mathéa Mathilda Mathilde
Maud Mauricette Maxime Maya Maylis Mayssa Mayssane Médina Mélanie Mélia Mélina Méline Mélissa
Mélodie Mélusine Melyna Mercedes Meriem Meryem Mia Mia-Rose Micaela Michèle Micheline Michelle Mila
Milena Milla Mina Mira Mireia Mireille Miya Moïra Mona Monica Monique Morgan Morgane Muriel Murielle
Mya Myla Myriam Myriem Nadège Nadia Nadine Nadira Nadjet Naëlle Nahia Nahla Naïa Naïla Naima Naïma
Nancy Naomi Nassima Natacha Nathalie Nawal Nawel Naya Nayah Nayla Nélia Nélie Nell Nelly Nelya
Nesrine Néva Nicole Nihel Nina Nina-Rose Ninon Nisa Noa Noëlle Noémie Nolane Nolwen Nolwenn Nora
Norah Norma Nour Nourhane Nouria Oana Océane Octavie Odette Odile Olivia Olympe Ophélie Oriane
Orlane Ornella Oumou Païa Paloma Paola Pascale Pascaline Patricia Paula Paule Paulette Pauline
Pauline-Marie Pénélope Perrine Philippa Philippine Philomène Pia Pierrette Précilia Prisca Priscilla
Quitterie Rabia Rachel Rachida Radia Rafaëlle Rahma Raïssa Rana Rania Raphaëlle Raymonde Rebecca
Rébecca Régina Régine Reine Renée Rim Rime Rita Rolande Romane Romy Rosa Rosalba Rosalia Rosalie
Rosanna Rose Rose-Anne Rose-Marie Roseline Roselyne Rosemarie Rosette Rosine Roxane Roxanne Rozenn
Ruth Sabah Sabine Sabrina Sacha Safa Safia Safiya Sahra Sakina Salimata Salma Salomé Samah Samia
Samira Sana Sanaa Sandie Sandra Sandrine Sandy Sanna Sara Sara-Lou Sarah Sarra Ségolène Selena
Séléna Selin Selma Séraphine Serena Séverine Shaïna Shana Shanel Shanna Shirley Sibylle Sidonie
Sienna Siham Sihem Silvia Simone Simonne Sirine Sixtine Soazic Soazig Sofia Sohane Soizic Solange
Solène Solenn Soline Sonia Sonya Sophia Sophie Soraya Souad Stacy Stella Stéphanie Sulivane Suzanne
Suzette Suzon Suzy Swann Sybille Sylvaine Sylviane Sylvie Syrine Taïna Talia Tamara Tania Tatiana
Teresa Tess Tessa Thaïs Thalia Thalie Théa Thelma Thérésa Thérèse Tiana Tiffany Tina Tiphaine Tyana
Ursula Vaïana Valentina Valentine Valérie Vanessa Vanina Vera Véra Véronique Vicky Victoire Victoria
Victorine Vinciane Violette Virginie Viviane Wafa Wafae Wanda Warda Wassila Wassima Wendy Wiam Yaël
Yaëlle Yamina Yanna Yannick Yara Yasmina Yasmine Yolaine Yolande Yousra Ysé Ysée Yseult Yuna Yvelise
Yvette Yvonne Zahia Zahra Zaïnab Zélia Zélie Zéphyrine Zina Zineb Zoé Zoé-Rose Zohra Zora
`;

export const MALE_GIVEN_NAMES = `
Aaron Aarón Abbas Abdallah Abdel Abdelaziz Abdelhak Abdelhamid Abdeljalil Abdelkader Abdelkrim
Abdellah Abdellatif Abdelmalek Abdelouahab Abderrahmane Abderrazak Abdou Abdoul Abdoulaye Abdullah
Abel Achille Achour Achraf Adam Adama Adel Adem Adil Adnan Adolphe Adonis Adrian Adriano Adrien
Agostino Ahmad Ahmed Ahmed-Amine Aimé Aimen Aimeric Akram Alain Alaric Alassane Alban Albéric Albert
Alberto Aldo Aleksandar Alessandro Alessio Alexandre Alexis Alexy Alfred Alfredo Ali Alix Allan
Aloïs Alphonse Amadou Amar Amaury Ambroise Amédée Amin Amine Amir Amjad Anas Anatole André Andrea
Andréa Andréas Andy Ange Ange-Marie Angel Angelo Anis Anouar Anselme Anthony Antoine Antoni Antonin
Antonio Apollinaire Aristide Armand Armando Armel Arnaud Arno Arnold Arsène Arthur Arthus Ashraf
Aubert Aubin Auguste Augustin Aurel Aurèle Aurélien Axel Ayden Aylan Ayman Aymen Aymeric Ayoub Aziz
Badr Bakary Baptiste Barnabé Barthélemy Basile Bastian Bastien Baudouin Bayron Benedict Benjamin
Benoit Benoît Bernard Bertin Bertrand Bienvenu Bilal Bilel Blaise Boris Boubacar Brahim Brandon
Brayan Brian Brice Brieuc Bruno Bryan Calixte Calvin Camil Camille Carl Carlos Casimir Cassien
Cédric Célestin Célian Cémil César Charles Charles-Antoine Charles-Édouard Charles-Henri Charlie
Charly Cheikh Chérif Christian Christophe Christopher Claude Clément Clovis Colin Côme Corentin
Cyprien Cyrian Cyriaque Cyril Cyrille Damien Dani Daniel Danny Dany Dario Darius David Davy Demba
Denis Désiré Didier Diego Dieudonné Dimitri Djamel Djibril Djilali Dominique Donatien Dorian Driss
Dylan Eddy Eden Edgar Édgar Edgard Edmond Edouard Édouard Elian Élian Elias Élias Elie Élie Eliès
Elio Eliot Eliott Éliott Eloi Éloi Elyas Elyes Emeric Émeric Emile Émile Emilien Émilien Emilio Emir
Emmanuel Emre Enguerrand Enzo Eric Éric Ernest Ernesto Erwan Erwann Esteban Ethan Etienne Étienne
Eudes Eugène Evan Évan Evann Evrard Ewan Ewen Ezio Fabien Fabio Fabrice Fabrizio Fares Farès Farid
Faustin Félicien Félix Ferdinand Fernand Fernando Fidèle Filipe Firmin Flavien Florent Florentin
Florian Francesco Francis Francisco Franck François François-Xavier Frantz Frédéric Frédy Fulbert
Gabin Gabriel Gabriele Gaby Gaël Gaétan Gaëtan Gaspard Gaston Gauthier Gautier Geoffrey Geoffroy
Georges Gérald Gérard Germain Gérôme Gervais Ghislain Gianni Gilbert Gilian Gilles Gino Giovanni
Giulian Giuseppe Godefroy Gontran Gonzague Gonzalo Goulven Grégoire Grégory Guénolé Guilhem
Guillaume Guillermo Gurvan Gustave Guy Gwenaël Gwendal Habib Hadi Hadrien Haïm Hakim Hamid Hamza
Hans Harold Haroun Harouna Harry Hassan Hassane Hatem Haytham Hector Hedi Helmut Hendrik Henri
Henrique Henry Herbert Hervé Hicham Hichem Hilaire Hilel Hippolyte Hocine Honoré Horace Hubert Hugo
Hugues Iban Ibrahim Ibrahima Idris Idriss Ignace Igor Ilan Ilian Ilias Ilyan Ilyes Ilyès Imran Irwin
Isaac Isaïe Ishak Isidore Ismaël Ismail Ivan Jacky Jacob Jacques Jacques-Henri Jad Jaime Jalil James
Janis Jarod Jason Jawad Jayden Jean Jean-Alain Jean-Baptiste Jean-Bernard Jean-Charles Jean-
Christophe Jean-Claude Jean-Daniel Jean-Denis Jean-Édouard Jean-Eric Jean-Eudes Jean-François Jean-
Gabriel Jean-Georges Jean-Guy Jean-Hugues Jean-Jacques Jean-Jérôme Jean-Joseph Jean-Lou Jean-Louis
Jean-Luc Jean-Marc Jean-Marie Jean-Max Jean-Michel Jean-Noël Jean-Paul Jean-Philippe Jean-Pierre
Jean-Rémi Jean-René Jean-Roch Jean-Sébastien Jean-Théo Jean-Victor Jean-Yves Jérémias Jérémie Jeremy
Jérémy Jérôme Jimmy Joachim Joakim Joan Joaquim Jocelyn Joël Joffrey Johan Johann Jonas Jonathan
Jordan Jordi Joris José Joseph Joshua Josselin Josué Juan Jules Jules-Henri Julian Julien Julio
Justin Kader Kaïs Kamel Kamil Karim Karl Kenan Kenji Keny Kenzi Kenzo Kerem Kevin Kévin Khalid
Khalil Kilian Killian Kilyan Koffi Kylan Kylian Kyllian Kyrian Ladislas Lahcen Lambert Lamine Larbi
Laurent Laurentin Laurian Lazare Léandre Léandro Lenny Léo Léon Léonard Léonce Léopold Lévi Liam
Lilian Lino Lionel Lisandro Loan Loïc Loïg Loïs Lorenzo Loris Lothaire Louis Louis-Marie Louis-
Philippe Louka Loup Luc Luca Lucas Lucien Ludovic Luigi Luis Luka Lyam Lyes Madi Maé Maël Mahdi Mahé
Mahmoud Malik Malo Malone Mamadou Manoël Manuel Marc Marc-André Marc-Antoine Marc-Olivier Marceau
Marcel Marcelin Marcellin Marco Marino Mario Marius Marley Martin Marvin Massimo Mateïs Mateo Matéo
Mathéis Mathéo Mathias Mathieu Mathis Mathurin Mathys Matis Matthieu Maurice Maurin Max Maxence
Maxens Maxime Maximilien Mayeul Mazen Médard Médéric Mehdi Melchior Melvin Messaoud Michaël Michel
Mickael Mickaël Miguel Milan Milo Modeste Modibo Mohamed Mohamed-Ali Mohamed-Amine Mohammed Mohand
Moïse Morgan Mouhamed Mouloud Mourad Moussa Mustafa Mustapha Nabil Nacer Naël Naïm Nassim Nathael
Nathan Nathanaël Nélio Nelson Néo Nestor Nicodème Nicolas Niels Nils Nino Noa Noah Noam Noé Noël
Noham Nolan Norbert Nour Octave Oliver Olivier Omar Oren Orlando Oscar Othmane Otto Ouassim Oumar
Ousmane Owen Pablo Pacôme Paolo Pascal Patrice Patrick Paul Paul-Antoine Paul-Emile Paul-Émile Paul-
Henri Paulin Paulo Pedro Philémon Philibert Philippe Pierre Pierre-Alain Pierre-Alexandre Pierre-
André Pierre-Antoine Pierre-Emmanuel Pierre-François Pierre-Henri Pierre-Jean Pierre-Louis Pierre-
Luc Pierre-Marie Pierre-Olivier Pierre-Yves Pierrick Placide Prosper Quentin Rachid Rafael Rafaël
Rahim Ramdane Rami Ramon Raoul Raphaël Rayan Rayane Raymond Redouane Régis Rémi Rémy Renaud René
Riad Ricardo Richard Rifat Riyad Robert Roberto Robin Roch Rodolphe Rodrigo Rodrigue Roger Roland
Rolland Romain Romaric Romuald Ronan Rosario Ruben Rubens Rudolph Rudy Ryad Ryan Sabri Sacha Said
Saïd Salah Salim Salomon Salvador Salvatore Sami Samir Samson Samuel Samy Sandro Saturnin Sauveur
Sayan Sébastien Sékou Selim Séraphin Serge Séverin Seydou Shaïn Siméon Simon Sixte Slimane Soan
Sofian Sofiane Sohan Soufiane Souleymane Stanislas Stefan Stéphan Stéphane Steve Steven Sullivan
Swann Sylvain Sylvère Sylvestre Tahar Talal Tancrède Tanguy Tarek Tarik Teddy Téo Théo Théodore
Théodule Théophile Théotime Thiago Thibault Thibaut Thierry Thomas Tiago Tidiane Timéo Timothé
Timothée Titouan Tobias Tom Tommy Tony Toufik Toussaint Tristan Tugdual Ugo Ulrich Ulysse Urbain
Valentin Valère Valérian Valéry Vasco Venceslas Vianney Victor Victorien Vincent Virgile Vital
Vivien Walid Warren Wassim Wesley Wilfrid Wilfried William Xavier Yacine Yaël Yahia Yahya Yanis Yann
Yanni Yannick Yannig Yannis Yasin Yasser Yassin Yassine Yassir Yazid Yoan Yoann Yohan Yohann Yoni
Youcef Younes Younès Youri Youssef Youssouf Yuri Yvan Yves Yvon Yvonnick Zacharie Zakaria Zayd Zayn
Zéphirin Ziad Zidane Zinedine
`;
